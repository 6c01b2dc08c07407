import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { updatePlan } from "@/lib/services/plan/update-plan";

export const dynamic = "force-dynamic";

export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const plan = await updatePlan({ actor, planId: params.planId, input: await readJson(req) });
    return jsonResponse({ plan: toJson(plan) });
  },
  { name: "PATCH /api/v1/plans/:planId", params: z.object({ planId: idSchema }) },
);
