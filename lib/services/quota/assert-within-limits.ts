import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { checkAddition, type LimitViolation, pickLimits, type Usage } from "@/lib/quota/limits";
import { isBelowAllotment } from "@/lib/services/quota/allotment-above";
import { parentPathOf } from "@/lib/services/quota/assert-allotments";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { measureUsage } from "@/lib/services/quota/measure-usage";

const NO_PLAN_MESSAGE =
  "This account has no plan, so no sites can be created in it. Ask your provider to put it on a plan.";

export interface AssertWithinLimitsOptions {
  accountId: string;
  /** What the write adds, in plan units (creating a site with its domain: { maxSites: 1, maxDomains: 1 }). */
  adding: Partial<Usage>;
  /**
   * The refusal in the caller's words: a message for the violated limit (default: the plan's
   * message) and the form field it belongs next to (default: none, the form's alert).
   */
  explain?: (
    violation: LimitViolation,
  ) => LimitExplanation | undefined | Promise<LimitExplanation | undefined>;
}

export interface LimitExplanation {
  message?: string;
  field?: string;
}

/**
 * Refuses, inside the caller's transaction and before it writes anything, a write that the
 * account's state or plan does not allow: LIMIT_EXCEEDED with the plan's message when over a limit,
 * FORBIDDEN when the account is suspended, CONFLICT when it is being terminated. An account
 * without a plan has no limits, unless it is below an allotment: then it may not grow at all.
 */
export async function assertWithinLimits(
  tx: Prisma.TransactionClient,
  options: AssertWithinLimitsOptions,
): Promise<void> {
  await lockAccounts(tx, [options.accountId]);
  const account = await tx.account.findUnique({
    where: { id: options.accountId },
    select: { path: true, status: true, suspendedReason: true, terminationRequestedAt: true, plan: true },
  });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  if (account.terminationRequestedAt) {
    throw new AppError("CONFLICT", "This account is being terminated; nothing can be added to it.");
  }
  if (account.status === "SUSPENDED") {
    const reason = account.suspendedReason ? ` (${account.suspendedReason})` : "";
    throw new AppError("FORBIDDEN", `This account is suspended${reason}. Contact your provider.`);
  }
  if (!account.plan) {
    const grows = Object.values(options.adding).some((delta) => (delta ?? 0) > 0);
    if (grows && (await isBelowAllotment(tx, parentPathOf(account.path)))) {
      throw new AppError("LIMIT_EXCEEDED", NO_PLAN_MESSAGE);
    }
    return;
  }
  const violation = checkAddition(
    pickLimits(account.plan),
    await measureUsage(tx, options.accountId),
    options.adding,
  );
  if (!violation) return;
  const explained = await options.explain?.(violation);
  const message = explained?.message ?? violation.message;
  throw new AppError(
    "LIMIT_EXCEEDED",
    message,
    explained?.field ? { [explained.field]: message } : undefined,
  );
}
