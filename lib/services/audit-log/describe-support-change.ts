/**
 * The audit-log lines of support sessions (kind "Impersonation"): an operator signing in as a
 * user, and the end of it. The customer reads who it was and why; the user it concerns reads
 * "as you".
 */
import { z } from "zod";

export const SUPPORT_EVENTS = ["started", "ended", "expired", "signed-out"] as const;
export type SupportEvent = (typeof SUPPORT_EVENTS)[number];

/** What a support session's change-log rows keep (their `data`). */
export const supportChangeDataSchema = z.object({
  event: z.enum(SUPPORT_EVENTS),
  operatorName: z.string(),
  targetUserId: z.string(),
  targetName: z.string(),
  reason: z.string(),
  /** How long the session could last, for "expired". */
  minutes: z.number().int().optional(),
});

export type SupportChangeData = z.infer<typeof supportChangeDataSchema>;

export function parseSupportChangeData(value: unknown): SupportChangeData | null {
  const parsed = supportChangeDataSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The line, for a viewer (the user it concerns reads "you"; null: anyone, as stored). */
export function describeSupportChange(data: SupportChangeData, viewerUserId: string | null): string {
  const support = `Support (${data.operatorName})`;
  const as = viewerUserId === data.targetUserId ? "you" : data.targetName;
  switch (data.event) {
    case "started":
      return `${support} signed in as ${as}: ${data.reason}`;
    case "ended":
      return `${support} stopped acting as ${as}`;
    case "expired":
      return `${support} stopped acting as ${as}: the support session ended after ${data.minutes ?? "its"} minutes`;
    case "signed-out":
      return `${support} signed out while acting as ${as}`;
  }
}
