"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { updateDatabaseServer } from "@/lib/services/database/update-database-server";

const run = defineAction({
  name: "database_server.update",
  schema: z.looseObject({ serverId: idSchema }),
  handler: async ({ actor, input }) => {
    const { serverId, ...changes } = input;
    return toJson(await updateDatabaseServer({ actor, serverId, input: changes }));
  },
});

export async function updateDatabaseServerAction(input: unknown) {
  return run(input);
}
