"use server";

import { headers } from "next/headers";
import { definePublicAction } from "@/lib/actions/safe-action";
import { clientIp } from "@/lib/auth/session";
import { verifyEmail } from "@/lib/services/user/verify-email";
import { verifyEmailSchema } from "@/lib/validation/account-email";

/** Anonymous on purpose: the mailed link (a single-use token) proves the mailbox, signed in or not. */
const run = definePublicAction({
  name: "user.verify_email",
  schema: verifyEmailSchema,
  handler: async ({ input }) => verifyEmail({ input, ip: clientIp(await headers()) }),
});

export async function verifyEmailAction(input: unknown) {
  return run(input);
}
