import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { assignPlan } from "@/lib/services/plan/assign-plan";

export const dynamic = "force-dynamic";

/** { planId: string | null }: puts the account on a plan (its provider only). */
export const PUT = withActor(
  async ({ req, actor, params }) => {
    const account = await assignPlan({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ account: toJson(account) });
  },
  { name: "PUT /api/v1/accounts/:accountId/plan", params: accountParamsSchema },
);
