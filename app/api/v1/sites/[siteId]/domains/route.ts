import { toSiteDomainsJson } from "@/lib/api/json";
import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { addDomain } from "@/lib/services/domain/add-domain";
import { listDomains } from "@/lib/services/domain/list-domains";
import { addDomainSchema } from "@/lib/validation/domain";

export const dynamic = "force-dynamic";

/** The site's domains (hostname in punycode and unicode, primary, redirect, TLS status) and usage. */
export const GET = withActor(
  async ({ actor, params }) => {
    const view = await listDomains({ actor, siteId: params.siteId });
    return jsonResponse(toSiteDomainsJson(view));
  },
  { name: "GET /api/v1/sites/:siteId/domains", params: siteParamsSchema },
);

/** Body: { domain, redirectToPrimary?, includeWww? }. 201 with the site's domains as they are now. */
export const POST = withActor(
  async ({ req, actor, params, log }) => {
    const input = parseWith(addDomainSchema, await readJson(req));
    const view = await addDomain({ actor, siteId: params.siteId, input });
    log.info("domain added", { siteId: params.siteId });
    return jsonResponse(toSiteDomainsJson(view), { status: 201 });
  },
  { name: "POST /api/v1/sites/:siteId/domains", params: siteParamsSchema },
);
