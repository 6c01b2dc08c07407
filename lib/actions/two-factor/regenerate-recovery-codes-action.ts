"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { regenerateRecoveryCodes } from "@/lib/services/two-factor/regenerate-recovery-codes";
import { regenerateRecoveryCodesSchema } from "@/lib/validation/two-factor";

const run = defineAction({
  name: "two-factor.regenerate-recovery-codes",
  schema: regenerateRecoveryCodesSchema,
  handler: async ({ actor, input }) => regenerateRecoveryCodes({ actor, input }),
});

export async function regenerateRecoveryCodesAction(input: unknown) {
  return run(input);
}
