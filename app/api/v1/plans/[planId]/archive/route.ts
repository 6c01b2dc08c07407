import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { archivePlan } from "@/lib/services/plan/archive-plan";
import { unarchivePlan } from "@/lib/services/plan/unarchive-plan";

export const dynamic = "force-dynamic";

const planParams = z.object({ planId: idSchema });

/** Archives the plan (send `{}`): the accounts on it keep it; it is no longer offered. */
export const PUT = withActor(
  async ({ actor, params }) => {
    const plan = await archivePlan({ actor, planId: params.planId });
    return jsonResponse({ plan: toJson(plan) });
  },
  { name: "PUT /api/v1/plans/:planId/archive", params: planParams },
);

/** Offers the plan again. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const plan = await unarchivePlan({ actor, planId: params.planId });
    return jsonResponse({ plan: toJson(plan) });
  },
  { name: "DELETE /api/v1/plans/:planId/archive", params: planParams },
);
