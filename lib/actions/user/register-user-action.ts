"use server";

import { definePublicAction } from "@/lib/actions/safe-action";
import { registerUser } from "@/lib/services/user/register-user";
import { registerUserSchema } from "@/lib/validation/user";

/** Anonymous on purpose: the invitee has no user yet. registerUser requires a pending invitation. */
const run = definePublicAction({
  name: "user.register",
  schema: registerUserSchema,
  handler: async ({ input, log }) => {
    const user = await registerUser({ input });
    log.info("user registered", { userId: user.id });
    return { email: user.email };
  },
});

export async function registerUserAction(input: unknown) {
  return run(input);
}
