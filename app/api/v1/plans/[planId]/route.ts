import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { deletePlan } from "@/lib/services/plan/delete-plan";
import { updatePlan } from "@/lib/services/plan/update-plan";

export const dynamic = "force-dynamic";

const planParams = z.object({ planId: idSchema });

export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const plan = await updatePlan({ actor, planId: params.planId, input: await readJson(req) });
    return jsonResponse({ plan: toJson(plan) });
  },
  { name: "PATCH /api/v1/plans/:planId", params: planParams },
);

/** Deletes a plan no account is on (409 naming how many are, otherwise). */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const deleted = await deletePlan({ actor, planId: params.planId });
    return jsonResponse({ plan: deleted });
  },
  { name: "DELETE /api/v1/plans/:planId", params: planParams },
);
