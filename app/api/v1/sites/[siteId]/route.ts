import { toSiteJson } from "@/lib/api/json";
import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { deleteSite } from "@/lib/services/site/delete-site";
import { getSite } from "@/lib/services/site/get-site";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => {
    const site = await getSite({ actor, siteId: params.siteId });
    return jsonResponse({ site: toSiteJson(site) });
  },
  { name: "GET /api/v1/sites/:siteId", params: siteParamsSchema },
);

/** Deletion is asynchronous: 202 with the site in phase DELETING; the reconciler removes it. */
export const DELETE = withActor(
  async ({ actor, params, log }) => {
    const site = await deleteSite({ actor, siteId: params.siteId });
    log.info("site deletion requested", { siteId: site.id });
    return jsonResponse({ site: toSiteJson(site) }, { status: 202 });
  },
  { name: "DELETE /api/v1/sites/:siteId", params: siteParamsSchema },
);
