"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { startImpersonation } from "@/lib/services/impersonation/start-impersonation";
import { startImpersonationSchema } from "@/lib/validation/impersonation";

const run = defineAction({
  name: "impersonation.start",
  schema: startImpersonationSchema,
  handler: async ({ actor, input }) => startImpersonation({ actor, input }),
});

/** An operator signs in as a user for support, with a reason the user's accounts see. */
export async function startImpersonationAction(input: unknown) {
  return run(input);
}
