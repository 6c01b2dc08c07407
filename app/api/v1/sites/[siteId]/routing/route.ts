import { toSiteDomainsJson } from "@/lib/api/json";
import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { setForceHttps } from "@/lib/services/domain/set-force-https";
import { siteRoutingSchema } from "@/lib/validation/domain";

export const dynamic = "force-dynamic";

/** Body: { forceHttps: boolean }. Answers the site's domains, as the domain routes do. */
export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const input = parseWith(siteRoutingSchema, await readJson(req));
    const view = await setForceHttps({ actor, siteId: params.siteId, input });
    return jsonResponse(toSiteDomainsJson(view));
  },
  { name: "PATCH /api/v1/sites/:siteId/routing", params: siteParamsSchema },
);
