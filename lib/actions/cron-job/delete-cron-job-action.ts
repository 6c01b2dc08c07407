"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toCronJobJson } from "@/lib/api/json";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";

const run = defineAction({
  name: "cronJob.delete",
  schema: z.object({ cronJobId: z.string().min(1).max(32) }),
  handler: async ({ actor, input, log }) => {
    const deleted = await deleteCronJob({ actor, cronJobId: input.cronJobId });
    log.info("cron job deletion requested", { cronJobId: deleted.id });
    return toCronJobJson(deleted);
  },
});

export async function deleteCronJobAction(input: unknown) {
  return run(input);
}
