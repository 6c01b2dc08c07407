import type { Actor } from "@/lib/services/actor";
import { setPlanArchived } from "@/lib/services/plan/archive-plan";
import type { PlanView } from "@/lib/services/plan/plan-view";

/** Offers an archived plan again. */
export function unarchivePlan(options: { actor: Actor; planId: string }): Promise<PlanView> {
  return setPlanArchived({ ...options, archived: false });
}
