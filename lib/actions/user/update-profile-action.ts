"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { updateProfile } from "@/lib/services/user/update-profile";
import { updateProfileSchema } from "@/lib/validation/account-email";

const run = defineAction({
  name: "user.update_profile",
  schema: updateProfileSchema,
  handler: async ({ actor, input }) => updateProfile({ actor, input }),
});

export async function updateProfileAction(input: unknown) {
  return run(input);
}
