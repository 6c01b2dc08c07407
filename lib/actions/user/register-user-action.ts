"use server";

import { headers } from "next/headers";
import { definePublicAction } from "@/lib/actions/safe-action";
import { clientIp } from "@/lib/auth/session";
import { registerUser } from "@/lib/services/user/register-user";
import { registerUserSchema } from "@/lib/validation/user";

/**
 * Anonymous on purpose: the invitee has no user yet. registerUser requires a pending invitation,
 * and answers an email that already has a user exactly as a new one.
 */
const run = definePublicAction({
  name: "user.register",
  schema: registerUserSchema,
  handler: async ({ input }) => registerUser({ input, ip: clientIp(await headers()) }),
});

export async function registerUserAction(input: unknown) {
  return run(input);
}
