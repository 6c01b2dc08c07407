"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { endUserSession } from "@/lib/services/session/end-user-session";
import { endSessionSchema } from "@/lib/validation/session";

const run = defineAction({
  name: "session.end",
  schema: endSessionSchema,
  handler: async ({ actor, input }) => {
    await endUserSession({ actor, input });
    return null;
  },
});

export async function endSessionAction(input: unknown) {
  return run(input);
}
