"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { deleteDatabase } from "@/lib/services/database/delete-database";

const run = defineAction({
  name: "database.delete",
  schema: z.looseObject({ databaseId: idSchema }),
  // { databaseId, confirm }: the service checks the typed confirmation after authorizing.
  handler: async ({ actor, input }) => {
    const { databaseId, ...confirmation } = input;
    return toJson(await deleteDatabase({ actor, databaseId, input: confirmation }));
  },
});

export async function deleteDatabaseAction(input: unknown) {
  return run(input);
}
