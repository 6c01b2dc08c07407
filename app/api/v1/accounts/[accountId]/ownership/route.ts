import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { transferOwnership } from "@/lib/services/membership/transfer-ownership";

export const dynamic = "force-dynamic";

/** { userId }: the owner hands the account to another member. */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    await transferOwnership({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ ok: true });
  },
  { name: "PUT /api/v1/accounts/:accountId/ownership", params: accountParamsSchema },
);
