"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteDomainsJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { updateDomain } from "@/lib/services/domain/update-domain";
import { updateDomainSchema } from "@/lib/validation/domain";

const run = defineAction({
  name: "domain.update",
  schema: z.intersection(z.object({ siteId: idSchema, domainId: idSchema }), updateDomainSchema),
  handler: async ({ actor, input }) => {
    const { siteId, domainId, ...change } = input;
    return toSiteDomainsJson(await updateDomain({ actor, siteId, domainId, input: change }));
  },
});

export async function updateDomainAction(input: unknown) {
  return run(input);
}
