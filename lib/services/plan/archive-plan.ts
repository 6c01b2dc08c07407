import { canManagePlans } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizePlan } from "@/lib/services/plan/find-plan";
import { type PlanView, toPlanView } from "@/lib/services/plan/plan-view";
import { lockAccounts } from "@/lib/services/quota/lock-account";

/**
 * Stops offering a plan: the accounts on it keep it (and its limits), but it can no longer be
 * chosen for a new account or a plan change (createAccount and assignPlan refuse it). The plan's
 * owner is locked first, as every assignment of its plans locks it, so that no assignment made
 * with the plan still offered commits after the archive.
 */
export function archivePlan(options: { actor: Actor; planId: string }): Promise<PlanView> {
  return setPlanArchived({ ...options, archived: true });
}

/** Archives a plan or offers an archived one again (unarchive-plan.ts); CONFLICT when it already is. */
export async function setPlanArchived(options: {
  actor: Actor;
  planId: string;
  archived: boolean;
}): Promise<PlanView> {
  const { actor, archived } = options;
  const { id: planId, ownerAccountId } = await authorizePlan({
    actor,
    planId: options.planId,
    permission: canManagePlans,
    action: "manage plans",
    db: prisma,
  });
  const view = await prisma.$transaction(async (tx) => {
    await lockAccounts(tx, [ownerAccountId]);
    const marked = await tx.plan.updateMany({
      where: { id: planId, archivedAt: archived ? null : { not: null } },
      data: { archivedAt: archived ? new Date() : null },
    });
    const plan = await tx.plan.findUnique({ where: { id: planId } });
    if (!plan) throw new AppError("NOT_FOUND", "Plan not found.");
    if (marked.count === 0) {
      throw new AppError(
        "CONFLICT",
        `The plan ${plan.name} is ${archived ? "already archived" : "not archived"}.`,
      );
    }
    await appendChange(tx, {
      kind: "Plan",
      objectId: plan.id,
      accountId: plan.ownerAccountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { name: plan.name, archived },
      summary: `${archived ? "Archived" : "Unarchived"} plan ${plan.name}`,
    });
    const accountCount = await tx.account.count({ where: { planId, terminationRequestedAt: null } });
    return toPlanView(plan, accountCount);
  });
  const event = archived ? "plan.archived" : "plan.unarchived";
  log.info(archived ? "plan archived" : "plan unarchived", { event, planId, userId: actor.userId });
  return view;
}
