"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteDomainsJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { addDomain } from "@/lib/services/domain/add-domain";
import { addDomainSchema } from "@/lib/validation/domain";

const run = defineAction({
  name: "domain.add",
  schema: z.intersection(z.object({ siteId: idSchema }), addDomainSchema),
  handler: async ({ actor, input, log }) => {
    const { siteId, ...domain } = input;
    const view = await addDomain({ actor, siteId, input: domain });
    log.info("domain added", { siteId });
    return toSiteDomainsJson(view);
  },
});

export async function addDomainAction(input: unknown) {
  return run(input);
}
