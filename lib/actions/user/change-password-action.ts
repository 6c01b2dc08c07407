"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { changePassword } from "@/lib/services/user/change-password";
import { changePasswordSchema } from "@/lib/validation/session";

const run = defineAction({
  name: "user.change_password",
  schema: changePasswordSchema,
  handler: async ({ actor, input }) => changePassword({ actor, input }),
});

export async function changePasswordAction(input: unknown) {
  return run(input);
}
