"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { endOtherUserSessions } from "@/lib/services/session/end-other-user-sessions";
import { endOtherSessionsSchema } from "@/lib/validation/session";

const run = defineAction({
  name: "session.end_others",
  schema: endOtherSessionsSchema,
  handler: async ({ actor }) => endOtherUserSessions({ actor }),
});

export async function endOtherSessionsAction(input: unknown) {
  return run(input);
}
