import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listMembers } from "@/lib/services/membership/list-members";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) =>
    jsonResponse(toJson(await listMembers({ actor, accountId: params.accountId }))),
  { name: "GET /api/v1/accounts/:accountId/members", params: accountParamsSchema },
);
