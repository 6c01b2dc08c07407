import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, parseWith, readJson, withActor } from "@/lib/api/with-actor";
import { createPlan } from "@/lib/services/plan/create-plan";
import { listPlans } from "@/lib/services/plan/list-plans";
import { listPlansQuerySchema } from "@/lib/validation/plan";

export const dynamic = "force-dynamic";

/** The catalogue, archived plans included (each with `archivedAt`), or with ?offered=true without them. */
export const GET = withActor(
  async ({ req, actor, params }) => {
    const query = parseWith(listPlansQuerySchema, Object.fromEntries(req.nextUrl.searchParams));
    const plans = await listPlans({
      actor,
      ownerAccountId: params.accountId,
      offeredOnly: query.offered === "true",
    });
    return jsonResponse({ plans: plans.map(toJson) });
  },
  { name: "GET /api/v1/accounts/:accountId/plans", params: accountParamsSchema },
);

export const POST = withActor(
  async ({ req, actor, params, log }) => {
    const plan = await createPlan({ actor, ownerAccountId: params.accountId, input: await readJson(req) });
    log.info("plan created", { planId: plan.id });
    return jsonResponse({ plan: toJson(plan) }, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/plans", params: accountParamsSchema },
);
