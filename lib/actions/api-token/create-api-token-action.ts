"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { createApiToken } from "@/lib/services/api-token/create-api-token";

const run = defineAction({
  name: "apiToken.create",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input }) => createApiToken({ actor, accountId: input.accountId, input }),
});

/** { accountId, name, role, expiresInDays }: the new token, with its secret (shown once). */
export async function createApiTokenAction(input: unknown) {
  return run(input);
}
