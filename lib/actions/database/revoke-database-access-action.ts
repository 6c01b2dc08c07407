"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { revokeDatabaseAccess } from "@/lib/services/database/revoke-database-access";

const run = defineAction({
  name: "database.revoke",
  schema: z.object({ databaseId: idSchema, databaseUserId: idSchema }),
  handler: async ({ actor, input }) =>
    toJson(
      await revokeDatabaseAccess({
        actor,
        databaseId: input.databaseId,
        databaseUserId: input.databaseUserId,
      }),
    ),
});

export async function revokeDatabaseAccessAction(input: unknown) {
  return run(input);
}
