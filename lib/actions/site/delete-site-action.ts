"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteJson } from "@/lib/api/json";
import { deleteSite } from "@/lib/services/site/delete-site";

const run = defineAction({
  name: "site.delete",
  schema: z.object({ siteId: z.string().min(1).max(32) }),
  handler: async ({ actor, input, log }) => {
    const deleted = await deleteSite({ actor, siteId: input.siteId });
    log.info("site deletion requested", { siteId: deleted.id });
    return toSiteJson(deleted);
  },
});

export async function deleteSiteAction(input: unknown) {
  return run(input);
}
