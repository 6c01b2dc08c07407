import { canManagePlans } from "@/lib/authz/permissions";
import { accountIdsOnPath } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { downgradeMessage, downgradeViolations } from "@/lib/quota/downgrade";
import { pickLimits } from "@/lib/quota/limits";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizePlan } from "@/lib/services/plan/find-plan";
import { isUniqueViolation, planNameTaken } from "@/lib/services/plan/plan-errors";
import { type PlanView, planSummaryData, toPlanView } from "@/lib/services/plan/plan-view";
import { assertAllotmentsAllow, parentPathOf } from "@/lib/services/quota/assert-allotments";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { measureUsage } from "@/lib/services/quota/measure-usage";
import { parseInput } from "@/lib/validation/parse-input";
import { LIMIT_KEYS, type Limits, updatePlanSchema } from "@/lib/validation/plan";

export interface UpdatePlanOptions {
  actor: Actor;
  planId: string;
  /** Untrusted: parsed here with updatePlanSchema (any subset of name and limits). */
  input: unknown;
}

/**
 * Changes a plan's name or limits for every account on it. Lowering a limit below what one of
 * those accounts uses is refused (naming the account and what it is over), and so is raising it
 * beyond the allotment of a reseller above them; nothing is written then.
 */
export async function updatePlan(options: UpdatePlanOptions): Promise<PlanView> {
  const { actor } = options;
  const input = parseInput(updatePlanSchema, options.input);
  const name = input.name;

  const { id: planId, ownerAccountId } = await authorizePlan({
    actor,
    planId: options.planId,
    permission: canManagePlans,
    action: "manage plans",
    db: prisma,
  });
  const onPlan = await prisma.account.findMany({ where: { planId }, select: { path: true } });

  try {
    const { plan, accountCount } = await prisma.$transaction(async (tx) => {
      // Lock the accounts on the plan and their providers (the plan's owner among them, which
      // serialises this with every assignment of the plan) before any read, so that the usage and
      // allotment reads below see everything committed before the locks were granted.
      await lockAccounts(tx, [ownerAccountId, ...onPlan.flatMap((a) => accountIdsOnPath(a.path))]);
      const before = await tx.plan.findUnique({ where: { id: planId } });
      if (!before) throw new AppError("NOT_FOUND", "Plan not found.");
      const accounts = await tx.account.findMany({
        where: { planId: before.id, terminationRequestedAt: null },
        select: { id: true, name: true, path: true },
        orderBy: { name: "asc" },
      });
      if (name !== undefined && name !== before.name) {
        const taken = await tx.plan.findUnique({
          where: { ownerAccountId_name: { ownerAccountId: before.ownerAccountId, name } },
          select: { id: true },
        });
        if (taken) throw planNameTaken(name);
      }
      const from = pickLimits(before);
      const to = Object.fromEntries(LIMIT_KEYS.map((key) => [key, input[key] ?? before[key]])) as Limits;
      const planName = name ?? before.name;
      for (const account of accounts) {
        const violations = downgradeViolations(to, await measureUsage(tx, account.id));
        if (violations.length > 0) {
          throw new AppError("LIMIT_EXCEEDED", downgradeMessage(planName, account.name, violations));
        }
      }
      await assertAllotmentsAllow(
        tx,
        accounts.map((account) => ({ parentPath: parentPathOf(account.path), from, to })),
      );
      const updated = await tx.plan.update({ where: { id: before.id }, data: input });
      await appendChange(tx, {
        kind: "Plan",
        objectId: updated.id,
        accountId: updated.ownerAccountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: planSummaryData(updated),
        summary:
          before.name === updated.name
            ? `Updated plan ${updated.name}`
            : `Updated plan ${updated.name} (renamed from ${before.name})`,
      });
      return { plan: updated, accountCount: accounts.length };
    });
    log.info("plan updated", { event: "plan.updated", planId: plan.id, userId: actor.userId });
    return toPlanView(plan, accountCount);
  } catch (err) {
    if (isUniqueViolation(err) && name !== undefined) throw planNameTaken(name);
    throw err;
  }
}
