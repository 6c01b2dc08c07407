"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toSiteDomainsJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { setForceHttps } from "@/lib/services/domain/set-force-https";
import { siteRoutingSchema } from "@/lib/validation/domain";

const run = defineAction({
  name: "site.setForceHttps",
  schema: z.intersection(z.object({ siteId: idSchema }), siteRoutingSchema),
  handler: async ({ actor, input }) => {
    const { siteId, ...routing } = input;
    return toSiteDomainsJson(await setForceHttps({ actor, siteId, input: routing }));
  },
});

export async function setForceHttpsAction(input: unknown) {
  return run(input);
}
