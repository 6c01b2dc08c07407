"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { createDatabaseServer } from "@/lib/services/database/create-database-server";

const run = defineAction({
  name: "database_server.create",
  schema: z.looseObject({}),
  // The service authorizes first, then parses with the shared createDatabaseServerSchema.
  handler: async ({ actor, input }) => toJson(await createDatabaseServer({ actor, input })),
});

export async function createDatabaseServerAction(input: unknown) {
  return run(input);
}
