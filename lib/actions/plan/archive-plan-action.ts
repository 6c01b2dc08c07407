"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { archivePlan } from "@/lib/services/plan/archive-plan";

const run = defineAction({
  name: "plan.archive",
  schema: z.object({ planId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const result = await archivePlan({ actor, planId: input.planId });
    log.info("plan archived", { planId: input.planId });
    return toJson(result);
  },
});

export async function archivePlanAction(input: unknown) {
  return run(input);
}
