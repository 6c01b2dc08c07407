"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { unarchivePlan } from "@/lib/services/plan/unarchive-plan";

const run = defineAction({
  name: "plan.unarchive",
  schema: z.object({ planId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const result = await unarchivePlan({ actor, planId: input.planId });
    log.info("plan unarchived", { planId: input.planId });
    return toJson(result);
  },
});

export async function unarchivePlanAction(input: unknown) {
  return run(input);
}
