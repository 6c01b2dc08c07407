import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { requestAccountTermination } from "@/lib/services/account/request-account-termination";

export const dynamic = "force-dynamic";

/** { confirmSlug }: terminates the account for good (its provider only). */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const account = await requestAccountTermination({
      actor,
      accountId: params.accountId,
      input: await readJson(req),
    });
    return jsonResponse({ account: toJson(account) }, { status: 202 });
  },
  { name: "POST /api/v1/accounts/:accountId/termination", params: accountParamsSchema },
);
