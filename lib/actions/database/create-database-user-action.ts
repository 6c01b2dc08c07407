"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { createDatabaseUser } from "@/lib/services/database/create-database-user";

const run = defineAction({
  name: "database_user.create",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input }) => {
    const { accountId, ...fields } = input;
    const { user, password } = await createDatabaseUser({ actor, accountId, input: fields });
    // The password travels once, in this answer, to be shown once.
    return { user: toJson(user), password };
  },
});

export async function createDatabaseUserAction(input: unknown) {
  return run(input);
}
