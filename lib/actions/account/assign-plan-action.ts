"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { assignPlan } from "@/lib/services/plan/assign-plan";

const run = defineAction({
  name: "account.assignPlan",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const account = await assignPlan({ actor, accountId: input.accountId, input });
    log.info("plan assigned", { accountId: account.id });
    return toJson(account);
  },
});

export async function assignPlanAction(input: unknown) {
  return run(input);
}
