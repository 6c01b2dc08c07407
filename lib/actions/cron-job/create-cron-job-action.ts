"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toCronJobJson } from "@/lib/api/json";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { createCronJobSchema } from "@/lib/validation/cron-job";

const run = defineAction({
  name: "cronJob.create",
  schema: z.intersection(z.object({ siteId: z.string().min(1).max(32) }), createCronJobSchema),
  handler: async ({ actor, input, log }) => {
    const { siteId, ...cronJob } = input;
    const created = await createCronJob({ actor, siteId, input: cronJob });
    log.info("cron job created", { cronJobId: created.id, siteId });
    return toCronJobJson(created);
  },
});

export async function createCronJobAction(input: unknown) {
  return run(input);
}
