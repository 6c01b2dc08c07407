import { accountIdsOnPath } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Below a reseller or agency that holds an allotment, every customer account has a plan: a client
 * without one would host beyond the allotment. Accounts without a plan that exist there anyway
 * (made before this rule, or a reseller or agency below another) count against the allotment with
 * everything they use, and may not add sites.
 */
export const PLAN_REQUIRED_MESSAGE =
  "Choose a plan: accounts below a reseller or agency with an allotment need one, so that what they use counts against it.";

export function planRequired(): AppError {
  return new AppError("INVALID_INPUT", PLAN_REQUIRED_MESSAGE, { planId: PLAN_REQUIRED_MESSAGE });
}

/**
 * Whether an account on `parentPath` (the materialized path of its parent, the parent included)
 * sits below an allotment. Read inside the caller's transaction, after its locks.
 */
export async function isBelowAllotment(tx: Prisma.TransactionClient, parentPath: string): Promise<boolean> {
  const ids = accountIdsOnPath(parentPath);
  if (ids.length === 0) return false;
  return (await tx.allotment.count({ where: { accountId: { in: ids } } })) > 0;
}

/**
 * Whether customer accounts created below `accountId` need a plan, so that forms can ask for one
 * instead of offering "no plan" and refusing it afterwards. The caller has authorized the account.
 */
export async function customersBelowNeedPlan(accountId: string): Promise<boolean> {
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  return account ? isBelowAllotment(prisma, account.path) : false;
}
