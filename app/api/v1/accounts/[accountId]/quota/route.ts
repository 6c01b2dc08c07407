import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => jsonResponse(await getAccountQuota({ actor, accountId: params.accountId })),
  { name: "GET /api/v1/accounts/:accountId/quota", params: accountParamsSchema },
);
