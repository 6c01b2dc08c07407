"use server";

import { defineAction } from "@/lib/actions/safe-action";
import { endImpersonation } from "@/lib/services/impersonation/end-impersonation";
import { endImpersonationSchema } from "@/lib/validation/impersonation";

const run = defineAction({
  name: "impersonation.end",
  schema: endImpersonationSchema,
  handler: async ({ actor }) => endImpersonation({ actor }),
});

/** Ends the support session the caller's session is in (the banner's "End"). */
export async function endImpersonationAction(input: unknown) {
  return run(input);
}
