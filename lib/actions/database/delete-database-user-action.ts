"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { deleteDatabaseUser } from "@/lib/services/database/delete-database-user";

const run = defineAction({
  name: "database_user.delete",
  schema: z.object({ databaseUserId: idSchema }),
  handler: async ({ actor, input }) =>
    toJson(await deleteDatabaseUser({ actor, databaseUserId: input.databaseUserId })),
});

export async function deleteDatabaseUserAction(input: unknown) {
  return run(input);
}
