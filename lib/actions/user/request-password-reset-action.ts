"use server";

import { headers } from "next/headers";
import { definePublicAction } from "@/lib/actions/safe-action";
import { clientIp } from "@/lib/auth/session";
import { requestPasswordReset } from "@/lib/services/user/request-password-reset";
import { requestPasswordResetSchema } from "@/lib/validation/account-email";

/**
 * Anonymous on purpose: whoever forgot their password is not signed in. The answer is the same
 * whether or not the address has a user; requests are throttled per address and per client.
 */
const run = definePublicAction({
  name: "user.request_password_reset",
  schema: requestPasswordResetSchema,
  handler: async ({ input }) => {
    const { email, validMinutes } = await requestPasswordReset({ input, ip: clientIp(await headers()) });
    return { email, validMinutes };
  },
});

export async function requestPasswordResetAction(input: unknown) {
  return run(input);
}
