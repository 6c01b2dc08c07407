/** Support sessions ("sign in as"): the operator's form and the server action. */
import { z } from "zod";
import { idSchema } from "@/lib/api/params";

export const IMPERSONATION_REASON_MIN_LENGTH = 10;
export const IMPERSONATION_REASON_MAX_LENGTH = 300;

export const startImpersonationSchema = z.object({
  userId: idSchema,
  /** Shown to the customer in their audit log: say why, in words they understand. */
  reason: z
    .string({ error: "Say why you sign in as this user." })
    .trim()
    .min(IMPERSONATION_REASON_MIN_LENGTH, {
      error: `Say why in at least ${IMPERSONATION_REASON_MIN_LENGTH} characters (the customer reads it in their audit log).`,
    })
    .max(IMPERSONATION_REASON_MAX_LENGTH, {
      error: `Use at most ${IMPERSONATION_REASON_MAX_LENGTH} characters.`,
    }),
});

export type StartImpersonationInput = z.output<typeof startImpersonationSchema>;
export type StartImpersonationFormValues = z.input<typeof startImpersonationSchema>;

export const endImpersonationSchema = z.object({});
