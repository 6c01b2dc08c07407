import type { Plan } from "@/lib/generated/prisma/client";
import { pickLimits } from "@/lib/quota/limits";
import type { Limits } from "@/lib/validation/plan";

/** A plan as pages, actions and the REST API see it. */
export interface PlanView extends Limits {
  id: string;
  ownerAccountId: string;
  name: string;
  /** How many accounts (not being terminated) are on the plan. */
  accountCount: number;
  /** When the plan was archived (kept for the accounts on it, no longer offered); null: offered. */
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toPlanView(plan: Plan, accountCount: number): PlanView {
  return {
    id: plan.id,
    ownerAccountId: plan.ownerAccountId,
    name: plan.name,
    ...pickLimits(plan),
    accountCount,
    archivedAt: plan.archivedAt?.toISOString() ?? null,
    createdAt: plan.createdAt.toISOString(),
    updatedAt: plan.updatedAt.toISOString(),
  };
}

/** "Starter (3 sites, 10 domains, ...)" is too long for the audit log: the limits go in `data`. */
export function planSummaryData(plan: Pick<Plan, "name"> & Limits): { name: string } & Limits {
  return { name: plan.name, ...pickLimits(plan) };
}

/** Whether a plan may be chosen for a new account or a plan change (archived plans are not). */
export function isOffered(plan: Pick<Plan, "archivedAt">): boolean {
  return plan.archivedAt === null;
}
