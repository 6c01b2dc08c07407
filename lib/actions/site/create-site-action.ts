"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteJson } from "@/lib/api/json";
import { createSite } from "@/lib/services/site/create-site";
import { createSiteSchema } from "@/lib/validation/site";

const createSiteActionSchema = z.intersection(
  z.object({ accountId: z.string().min(1).max(32) }),
  createSiteSchema,
);

const run = defineAction({
  name: "site.create",
  schema: createSiteActionSchema,
  handler: async ({ actor, input, log }) => {
    const { accountId, ...site } = input;
    const { site: created, wordpressAdmin } = await createSite({ actor, accountId, input: site });
    log.info("site created", { siteId: created.id, accountId });
    // The admin password travels once, in this answer, to be shown once; nothing keeps it.
    return { site: toSiteJson(created), wordpressAdmin };
  },
});

export async function createSiteAction(input: unknown) {
  return run(input);
}
