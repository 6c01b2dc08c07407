"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { createDatabase } from "@/lib/services/database/create-database";

const run = defineAction({
  name: "database.create",
  schema: z.looseObject({ accountId: idSchema }),
  // The service authorizes first, then parses with the shared createDatabaseSchema.
  handler: async ({ actor, input }) => {
    const { accountId, ...fields } = input;
    return toJson(await createDatabase({ actor, accountId, input: fields }));
  },
});

export async function createDatabaseAction(input: unknown) {
  return run(input);
}
