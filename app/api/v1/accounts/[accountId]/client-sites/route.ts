import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listClientSites } from "@/lib/services/site/list-client-sites";

export const dynamic = "force-dynamic";

/** ?status=&q=&sort=name|client|status|created&dir=asc|desc&page=&pageSize= */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const input = Object.fromEntries(req.nextUrl.searchParams);
    const page = await listClientSites({ actor, accountId: params.accountId, input });
    return jsonResponse(toJson(page));
  },
  { name: "GET /api/v1/accounts/:accountId/client-sites", params: accountParamsSchema },
);
