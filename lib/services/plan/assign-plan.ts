import { canManageChildAccounts, canViewPlans } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { accountIdsOnPath } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { downgradeMessage, downgradeViolations } from "@/lib/quota/downgrade";
import { pickLimits } from "@/lib/quota/limits";
import {
  type ChildAccountView,
  childAccountInclude,
  toChildAccountView,
} from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizePlan } from "@/lib/services/plan/find-plan";
import { planArchived } from "@/lib/services/plan/plan-errors";
import { isBelowAllotment, planRequired } from "@/lib/services/quota/allotment-above";
import { assertAllotmentsAllow, parentPathOf } from "@/lib/services/quota/assert-allotments";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { measureUsage } from "@/lib/services/quota/measure-usage";
import { assignPlanSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

export interface AssignPlanOptions {
  actor: Actor;
  accountId: string;
  /**
   * Untrusted: { planId: string | null }; null takes the plan away (no limits), which is refused
   * for a customer below an allotment.
   */
  input: unknown;
}

/**
 * Puts an account on a plan from its provider's catalogue (a plan owned by one of its ancestors
 * that the caller reaches, and not archived). A plan the account's current usage does not fit is refused with a
 * message naming every limit it is over; so is a plan beyond the allotment of a reseller above.
 */
export async function assignPlan(options: AssignPlanOptions): Promise<ChildAccountView> {
  const { actor, accountId } = options;
  const { planId } = parseInput(assignPlanSchema, options.input);

  const { account: reached } = await authorizeProvider({
    actor,
    accountId,
    permission: canManageChildAccounts,
    action: "change the plan of this account",
  });

  const { account, siteCount } = await prisma.$transaction(async (tx) => {
    // Lock the account and its providers first, before any read: the usage and allotment reads
    // below must see every site and plan change committed before the locks were granted.
    await lockAccounts(tx, accountIdsOnPath(reached.path));
    const target = await tx.account.findUnique({ where: { id: accountId } });
    if (!target) throw new AppError("NOT_FOUND", "Account not found.");
    if (target.terminationRequestedAt) throw new AppError("CONFLICT", `${target.name} is being terminated.`);
    const current = target.planId ? await tx.plan.findUnique({ where: { id: target.planId } }) : null;
    const plan =
      planId === null ? null : await authorizePlan({ actor, planId, permission: canViewPlans, db: tx });
    // Only a plan from a provider above the account applies to it.
    if (
      plan &&
      (plan.ownerAccountId === target.id || !accountIdsOnPath(target.path).includes(plan.ownerAccountId))
    ) {
      throw new AppError("NOT_FOUND", "Plan not found.", { planId: "Plan not found." });
    }
    // An archived plan stays with the accounts on it, but nobody is moved onto it any more.
    if (plan?.archivedAt && plan.id !== target.planId) throw planArchived(plan.name);
    if (!plan && target.kind === "CUSTOMER" && (await isBelowAllotment(tx, parentPathOf(target.path)))) {
      throw planRequired();
    }
    const usage = await measureUsage(tx, target.id);
    if (plan) {
      const violations = downgradeViolations(pickLimits(plan), usage);
      if (violations.length > 0) {
        throw new AppError("LIMIT_EXCEEDED", downgradeMessage(plan.name, target.name, violations));
      }
    }
    await assertAllotmentsAllow(tx, [
      {
        parentPath: parentPathOf(target.path),
        // Without a plan, what the account uses is what counts against an allotment above it.
        from: current ? pickLimits(current) : usage,
        to: plan ? pickLimits(plan) : usage,
      },
    ]);
    const updated = await tx.account.update({
      where: { id: target.id },
      data: { planId: plan?.id ?? null },
      include: childAccountInclude,
    });
    const summary = plan
      ? current
        ? `Changed the plan of ${target.name} from ${current.name} to ${plan.name}`
        : `Put ${target.name} on plan ${plan.name}`
      : `Took plan ${current?.name ?? "(none)"} away from ${target.name}`;
    await appendChange(tx, {
      kind: "Account",
      objectId: target.id,
      accountId: target.id,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { planId: plan?.id ?? null, previousPlanId: current?.id ?? null },
      summary,
    });
    return { account: updated, siteCount: usage.maxSites };
  });
  log.info("plan assigned", {
    event: "account.plan_assigned",
    accountId,
    planId: account.planId,
    userId: actor.userId,
  });
  return toChildAccountView(account, siteCount);
}
