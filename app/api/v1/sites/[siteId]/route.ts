import { toSiteJson } from "@/lib/api/json";
import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { deleteSite } from "@/lib/services/site/delete-site";
import { getSite } from "@/lib/services/site/get-site";
import { updateSite } from "@/lib/services/site/update-site";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => {
    const site = await getSite({ actor, siteId: params.siteId });
    return jsonResponse({ site: toSiteJson(site) });
  },
  { name: "GET /api/v1/sites/:siteId", params: siteParamsSchema },
);

/**
 * Changes the site's settings (lib/validation/site-settings.ts). The body is the whole settings
 * form (`generation`, `phpVersion`, `php`, `env`, `resources`, as GET answers them under `settings`;
 * a secret variable sent without `value` keeps its stored one; `env` left out keeps every variable)
 * and carries the `generation` it
 * was read at: 409 CONFLICT when the site changed since, 400 INVALID_INPUT with `fieldErrors`. Applying is asynchronous: the answer's
 * generation is ahead of observedGeneration until the reconciler has rolled the pods.
 */
export const PATCH = withActor(
  async ({ req, actor, params, log }) => {
    const site = await updateSite({ actor, siteId: params.siteId, input: await readJson(req) });
    log.info("site settings saved", { siteId: site.id, generation: site.generation });
    return jsonResponse({ site: toSiteJson(site) });
  },
  { name: "PATCH /api/v1/sites/:siteId", params: siteParamsSchema },
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
