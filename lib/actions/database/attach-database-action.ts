"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { attachDatabaseToSite } from "@/lib/services/database/attach-database-to-site";

const run = defineAction({
  name: "site.attach_database",
  schema: z.looseObject({ siteId: idSchema }),
  handler: async ({ actor, input }) => {
    const { siteId, ...attachment } = input;
    return attachDatabaseToSite({ actor, siteId, input: attachment });
  },
});

export async function attachDatabaseAction(input: unknown) {
  return run(input);
}
