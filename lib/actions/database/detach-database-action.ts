"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { detachDatabaseFromSite } from "@/lib/services/database/detach-database-from-site";

const run = defineAction({
  name: "site.detach_database",
  schema: z.object({ siteId: idSchema, attachmentId: idSchema }),
  handler: async ({ actor, input }) => {
    await detachDatabaseFromSite({ actor, siteId: input.siteId, attachmentId: input.attachmentId });
    return { detached: true };
  },
});

export async function detachDatabaseAction(input: unknown) {
  return run(input);
}
