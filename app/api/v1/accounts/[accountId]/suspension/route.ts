import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import { unsuspendAccount } from "@/lib/services/account/unsuspend-account";

export const dynamic = "force-dynamic";

/** { reason }: suspends the account (its provider only). */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const account = await suspendAccount({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ account: toJson(account) });
  },
  { name: "PUT /api/v1/accounts/:accountId/suspension", params: accountParamsSchema },
);

export const DELETE = withActor(
  async ({ actor, params }) => {
    const account = await unsuspendAccount({ actor, accountId: params.accountId });
    return jsonResponse({ account: toJson(account) });
  },
  { name: "DELETE /api/v1/accounts/:accountId/suspension", params: accountParamsSchema },
);
