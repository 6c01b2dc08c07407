"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { grantDatabaseAccess } from "@/lib/services/database/grant-database-access";

const run = defineAction({
  name: "database.grant",
  schema: z.looseObject({ databaseId: idSchema }),
  handler: async ({ actor, input }) => {
    const { databaseId, ...grant } = input;
    return toJson(await grantDatabaseAccess({ actor, databaseId, input: grant }));
  },
});

export async function grantDatabaseAccessAction(input: unknown) {
  return run(input);
}
