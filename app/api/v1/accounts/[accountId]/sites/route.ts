import { toSiteJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { createSite } from "@/lib/services/site/create-site";
import { listSites } from "@/lib/services/site/list-sites";
import { createSiteSchema } from "@/lib/validation/site";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => {
    const sites = await listSites({ actor, accountId: params.accountId });
    return jsonResponse({ sites: sites.map(toSiteJson) });
  },
  { name: "GET /api/v1/accounts/:accountId/sites", params: accountParamsSchema },
);

export const POST = withActor(
  async ({ req, actor, params, log }) => {
    const input = parseWith(createSiteSchema, await readJson(req));
    const { site, wordpressAdmin } = await createSite({ actor, accountId: params.accountId, input });
    log.info("site created", { siteId: site.id, accountId: params.accountId });
    // wordpressAdmin (WordPress sites): the admin password, in this response only.
    return jsonResponse({ site: toSiteJson(site), wordpressAdmin }, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/sites", params: accountParamsSchema },
);
