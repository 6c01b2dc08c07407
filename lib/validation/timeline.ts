import { z } from "zod";

export const TIMELINE_DEFAULT_LIMIT = 30;
export const TIMELINE_MAX_LIMIT = 100;

/** ?before=<cursor from the last page>&limit= */
export const siteTimelineSchema = z.object({
  before: z
    .string()
    .regex(/^\d{13}:[ce]\d{1,19}$/, { error: "Invalid cursor: pass the `next` value of the previous page." })
    .optional(),
  limit: z.coerce
    .number({ error: "limit must be a number." })
    .int({ error: "limit must be a whole number." })
    .min(1, { error: "limit must be at least 1." })
    .max(TIMELINE_MAX_LIMIT, { error: `limit can be at most ${TIMELINE_MAX_LIMIT}.` })
    .default(TIMELINE_DEFAULT_LIMIT),
});
