"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteJson } from "@/lib/api/json";
import { updateSite } from "@/lib/services/site/update-site";
import { updateSiteSchema } from "@/lib/validation/site-settings";

const updateSiteActionSchema = z.intersection(
  z.object({ siteId: z.string().min(1).max(32) }),
  updateSiteSchema,
);

const run = defineAction({
  name: "site.update",
  schema: updateSiteActionSchema,
  handler: async ({ actor, input, log }) => {
    const { siteId, ...settings } = input;
    const updated = await updateSite({ actor, siteId, input: settings });
    log.info("site settings saved", { siteId: updated.id, generation: updated.generation });
    return toSiteJson(updated);
  },
});

export async function updateSiteAction(input: unknown) {
  return run(input);
}
