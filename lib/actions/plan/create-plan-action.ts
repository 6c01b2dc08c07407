"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { createPlan } from "@/lib/services/plan/create-plan";

const run = defineAction({
  name: "plan.create",
  schema: z.looseObject({ ownerAccountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    // The service parses the plan fields with the shared createPlanSchema.
    const plan = await createPlan({ actor, ownerAccountId: input.ownerAccountId, input });
    log.info("plan created", { planId: plan.id });
    return toJson(plan);
  },
});

export async function createPlanAction(input: unknown) {
  return run(input);
}
