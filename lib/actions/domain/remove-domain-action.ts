"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteDomainsJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { removeDomain } from "@/lib/services/domain/remove-domain";

const run = defineAction({
  name: "domain.remove",
  schema: z.object({ siteId: idSchema, domainId: idSchema }),
  handler: async ({ actor, input }) => toSiteDomainsJson(await removeDomain({ actor, ...input })),
});

export async function removeDomainAction(input: unknown) {
  return run(input);
}
