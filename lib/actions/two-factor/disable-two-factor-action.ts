"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { disableTwoFactor } from "@/lib/services/two-factor/disable-two-factor";
import { disableTwoFactorSchema } from "@/lib/validation/two-factor";

const run = defineAction({
  name: "two-factor.disable",
  schema: disableTwoFactorSchema,
  handler: async ({ actor, input }) => disableTwoFactor({ actor, input }),
});

export async function disableTwoFactorAction(input: unknown) {
  return run(input);
}
