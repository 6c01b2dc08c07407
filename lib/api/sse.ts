import { z } from "zod";

/** One server-sent event frame. `data` is JSON on a single line, so no line of it can end the frame. */
export function formatSseEvent(event: { id?: string; event?: string; data: unknown }): string {
  let frame = "";
  if (event.id !== undefined) frame += `id: ${event.id}\n`;
  if (event.event !== undefined) frame += `event: ${event.event}\n`;
  const data = JSON.stringify(event.data, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  return `${frame}data: ${data}\n\n`;
}

/** A comment line: ignored by EventSource, but keeps proxies and load balancers from closing the stream. */
export const SSE_HEARTBEAT = ": heartbeat\n\n";

const resourceVersionSchema = z
  .string()
  .regex(/^\d{1,19}$/, "resourceVersion must be a non-negative integer")
  .transform((v) => BigInt(v));

/**
 * Where a stream resumes: the browser's Last-Event-ID (sent automatically when EventSource reconnects)
 * wins over the `since` query parameter, because it is the last event the browser actually received.
 * Returns null when neither is given: the stream then starts at the current resourceVersion.
 */
export function resumeFrom(input: { since: string | null; lastEventId: string | null }): bigint | null {
  const raw = input.lastEventId || input.since;
  if (raw === null || raw === "") return null;
  const parsed = resourceVersionSchema.safeParse(raw);
  if (!parsed.success) return null;
  return parsed.data;
}
