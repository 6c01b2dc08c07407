import { canManagePlans } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizePlan } from "@/lib/services/plan/find-plan";
import { planSummaryData } from "@/lib/services/plan/plan-view";
import { lockAccounts } from "@/lib/services/quota/lock-account";

/** "1 account is on it", "3 accounts are on it (1 being terminated)". */
function accountsOnIt(total: number, terminating: number): string {
  const count = total === 1 ? "1 account is on it" : `${total} accounts are on it`;
  return terminating > 0 ? `${count} (${terminating} being terminated)` : count;
}

/**
 * Deletes a plan no account uses. While any account is on it (those being terminated included:
 * their rows still name it until the reconciler removes them) it is refused, naming how many:
 * move them to another plan, or archive the plan to stop offering it. The owner is locked first,
 * as every assignment of its plans locks it, so no account can be put on the plan meanwhile.
 */
export async function deletePlan(options: { actor: Actor; planId: string }): Promise<{ id: string }> {
  const { actor } = options;
  const { id: planId, ownerAccountId } = await authorizePlan({
    actor,
    planId: options.planId,
    permission: canManagePlans,
    action: "manage plans",
    db: prisma,
  });
  await prisma.$transaction(async (tx) => {
    await lockAccounts(tx, [ownerAccountId]);
    const plan = await tx.plan.findUnique({ where: { id: planId } });
    if (!plan) throw new AppError("NOT_FOUND", "Plan not found.");
    const [total, terminating] = await Promise.all([
      tx.account.count({ where: { planId } }),
      tx.account.count({ where: { planId, terminationRequestedAt: { not: null } } }),
    ]);
    if (total > 0) {
      throw new AppError(
        "CONFLICT",
        `The plan ${plan.name} cannot be deleted: ${accountsOnIt(total, terminating)}. Move ${total === 1 ? "it" : "them"} to another plan first, or archive the plan to stop offering it.`,
      );
    }
    await tx.plan.delete({ where: { id: planId } });
    await appendChange(tx, {
      kind: "Plan",
      objectId: planId,
      accountId: plan.ownerAccountId,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: planSummaryData(plan),
      summary: `Deleted plan ${plan.name}`,
    });
  });
  log.info("plan deleted", { event: "plan.deleted", planId, userId: actor.userId });
  return { id: planId };
}
