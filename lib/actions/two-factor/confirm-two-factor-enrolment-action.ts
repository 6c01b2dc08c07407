"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { confirmTwoFactorEnrolment } from "@/lib/services/two-factor/confirm-two-factor-enrolment";
import { confirmTwoFactorSchema } from "@/lib/validation/two-factor";

const run = defineAction({
  name: "two-factor.confirm",
  schema: confirmTwoFactorSchema,
  beforeTwoFactorSetup: true,
  handler: async ({ actor, input }) => confirmTwoFactorEnrolment({ actor, input }),
});

export async function confirmTwoFactorEnrolmentAction(input: unknown) {
  return run(input);
}
