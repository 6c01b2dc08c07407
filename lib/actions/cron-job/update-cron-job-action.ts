"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toCronJobJson } from "@/lib/api/json";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { updateCronJobSchema } from "@/lib/validation/cron-job";

const run = defineAction({
  name: "cronJob.update",
  // Flat, so that field errors carry the form's field names.
  schema: updateCronJobSchema.extend({ cronJobId: z.string().min(1).max(32) }),
  handler: async ({ actor, input }) => {
    const { cronJobId, ...changes } = input;
    return toCronJobJson(await updateCronJob({ actor, cronJobId, input: changes }));
  },
});

/** `{ cronJobId, ...fields }`: the fields to change; the enable/pause toggle sends `enabled` alone. */
export async function updateCronJobAction(input: unknown) {
  return run(input);
}
