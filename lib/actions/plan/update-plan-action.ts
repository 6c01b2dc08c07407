"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { updatePlan } from "@/lib/services/plan/update-plan";

const run = defineAction({
  name: "plan.update",
  schema: z.looseObject({ planId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const { planId, ...fields } = input;
    const plan = await updatePlan({ actor, planId, input: fields });
    log.info("plan updated", { planId });
    return toJson(plan);
  },
});

export async function updatePlanAction(input: unknown) {
  return run(input);
}
