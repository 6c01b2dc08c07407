import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { bulkSuspendAccounts } from "@/lib/services/account/bulk-suspend-accounts";
import { bulkUnsuspendAccounts } from "@/lib/services/account/bulk-unsuspend-accounts";

export const dynamic = "force-dynamic";

/**
 * { accountIds, reason }: suspends each of these accounts below this one. 200 with a result per
 * account (`ok`, or `code` and `message`): some may fail (already suspended) while the others go.
 */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const outcome = await bulkSuspendAccounts({
      actor,
      parentId: params.accountId,
      input: await readJson(req),
    });
    return jsonResponse(toJson(outcome));
  },
  { name: "PUT /api/v1/accounts/:accountId/accounts/suspension", params: accountParamsSchema },
);

/** { accountIds }: lifts the suspension of each, with a result per account. */
export const DELETE = withActor(
  async ({ req, actor, params }) => {
    const outcome = await bulkUnsuspendAccounts({
      actor,
      parentId: params.accountId,
      input: await readJson(req),
    });
    return jsonResponse(toJson(outcome));
  },
  { name: "DELETE /api/v1/accounts/:accountId/accounts/suspension", params: accountParamsSchema },
);
