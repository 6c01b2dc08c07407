"use server";

import { headers } from "next/headers";
import { definePublicAction } from "@/lib/actions/safe-action";
import { clientIp } from "@/lib/auth/session";
import { resetPassword } from "@/lib/services/user/reset-password";
import { resetPasswordSchema } from "@/lib/validation/account-email";

/** Anonymous on purpose: the mailed link (a single-use token) is what entitles the caller. */
const run = definePublicAction({
  name: "user.reset_password",
  schema: resetPasswordSchema,
  handler: async ({ input }) => {
    const { email } = await resetPassword({ input, ip: clientIp(await headers()) });
    return { email };
  },
});

export async function resetPasswordAction(input: unknown) {
  return run(input);
}
