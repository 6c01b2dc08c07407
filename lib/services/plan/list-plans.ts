import { canViewPlans } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { type PlanView, toPlanView } from "@/lib/services/plan/plan-view";

/**
 * The plans of one account's catalogue, by name, with how many accounts are on each; with
 * `offeredOnly`, without the archived ones (what a new account or a plan change may choose from).
 */
export async function listPlans(options: {
  actor: Actor;
  ownerAccountId: string;
  offeredOnly?: boolean;
}): Promise<PlanView[]> {
  const { actor, ownerAccountId } = options;
  await authorizeAccount({
    actor,
    accountId: ownerAccountId,
    permission: canViewPlans,
    action: "view plans",
  });
  const plans = await prisma.plan.findMany({
    where: { ownerAccountId, ...(options.offeredOnly ? { archivedAt: null } : {}) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: { _count: { select: { accounts: { where: { terminationRequestedAt: null } } } } },
  });
  return plans.map(({ _count, ...plan }) => toPlanView(plan, _count.accounts));
}
