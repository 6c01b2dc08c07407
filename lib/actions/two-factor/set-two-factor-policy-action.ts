"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { setTwoFactorPolicy } from "@/lib/services/two-factor/set-two-factor-policy";
import { twoFactorPolicySchema } from "@/lib/validation/two-factor";

const run = defineAction({
  name: "account.two-factor-policy",
  schema: twoFactorPolicySchema.extend({ accountId: idSchema }),
  handler: async ({ actor, input }) => setTwoFactorPolicy({ actor, accountId: input.accountId, input }),
});

export async function setTwoFactorPolicyAction(input: unknown) {
  return run(input);
}
