import { toSiteDomainsJson } from "@/lib/api/json";
import { siteDomainParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { removeDomain } from "@/lib/services/domain/remove-domain";
import { updateDomain } from "@/lib/services/domain/update-domain";
import { updateDomainSchema } from "@/lib/validation/domain";

export const dynamic = "force-dynamic";

/** Body: { isPrimary: true } or { redirectToPrimary: boolean }. Answers the site's domains. */
export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const input = parseWith(updateDomainSchema, await readJson(req));
    const view = await updateDomain({ actor, siteId: params.siteId, domainId: params.domainId, input });
    return jsonResponse(toSiteDomainsJson(view));
  },
  { name: "PATCH /api/v1/sites/:siteId/domains/:domainId", params: siteDomainParamsSchema },
);

/** The primary (and so the last) domain cannot be removed: 409 saying what to do first. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const view = await removeDomain({ actor, siteId: params.siteId, domainId: params.domainId });
    return jsonResponse(toSiteDomainsJson(view));
  },
  { name: "DELETE /api/v1/sites/:siteId/domains/:domainId", params: siteDomainParamsSchema },
);
