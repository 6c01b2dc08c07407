"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { sendEmailVerification } from "@/lib/services/user/send-email-verification";
import { resendVerificationSchema } from "@/lib/validation/account-email";

const run = defineAction({
  name: "user.resend_verification",
  schema: resendVerificationSchema,
  handler: async ({ actor }) => sendEmailVerification({ userId: actor.userId, ip: actor.ip }),
});

export async function resendVerificationAction(input: unknown) {
  return run(input);
}
