"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { requestEmailChange } from "@/lib/services/user/request-email-change";
import { changeEmailSchema } from "@/lib/validation/account-email";

const run = defineAction({
  name: "user.request_email_change",
  schema: changeEmailSchema,
  handler: async ({ actor, input }) => requestEmailChange({ actor, input }),
});

export async function requestEmailChangeAction(input: unknown) {
  return run(input);
}
