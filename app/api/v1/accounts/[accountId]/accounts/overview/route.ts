import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { listAccountOverview } from "@/lib/services/account/list-account-overview";

export const dynamic = "force-dynamic";

/**
 * One page (?page=) of the accounts below this one with their owner, plan limits, usage and status;
 * ?q= searches names, short names and owners' emails.
 */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const overview = await listAccountOverview({
      actor,
      accountId: params.accountId,
      input: Object.fromEntries(req.nextUrl.searchParams),
    });
    return jsonResponse(toJson(overview));
  },
  { name: "GET /api/v1/accounts/:accountId/accounts/overview", params: accountParamsSchema },
);
