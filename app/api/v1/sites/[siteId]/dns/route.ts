import { siteParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { checkSiteDns } from "@/lib/services/site/check-site-dns";

export const dynamic = "force-dynamic";

/**
 * The DNS records to create for each of the site's domains, and whether each domain already points
 * at the platform, looked up now (a few seconds at most).
 */
export const GET = withActor(
  async ({ actor, params }) => {
    const view = await checkSiteDns({ actor, siteId: params.siteId });
    return jsonResponse(view);
  },
  { name: "GET /api/v1/sites/:siteId/dns", params: siteParamsSchema },
);
