"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";

const run = defineAction({
  name: "apiToken.revoke",
  schema: z.looseObject({}),
  handler: async ({ actor, input }) => revokeApiToken({ actor, input }),
});

/** { tokenId } */
export async function revokeApiTokenAction(input: unknown) {
  return run(input);
}
