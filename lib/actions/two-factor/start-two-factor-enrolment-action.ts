"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { startTwoFactorEnrolment } from "@/lib/services/two-factor/start-two-factor-enrolment";

const run = defineAction({
  name: "two-factor.start",
  schema: z.object({}),
  // The way out of "an account requires two-factor sign-in": open before it is set up.
  beforeTwoFactorSetup: true,
  handler: async ({ actor }) => startTwoFactorEnrolment({ actor }),
});

export async function startTwoFactorEnrolmentAction(input: unknown) {
  return run(input);
}
