"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { deletePlan } from "@/lib/services/plan/delete-plan";

const run = defineAction({
  name: "plan.delete",
  schema: z.object({ planId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const result = await deletePlan({ actor, planId: input.planId });
    log.info("plan deleted", { planId: input.planId });
    return toJson(result);
  },
});

export async function deletePlanAction(input: unknown) {
  return run(input);
}
