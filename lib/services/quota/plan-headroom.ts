import type { Prisma } from "@/lib/generated/prisma/client";
import { pickLimits } from "@/lib/quota/limits";
import { measureSites } from "@/lib/services/quota/measure-usage";
import { LIMIT_KEYS, type Limits } from "@/lib/validation/plan";

/**
 * What the account's plan has left, limit by limit, not counting the sites matching `except`
 * (the site being resized counts with its new size instead). Null: the account has no plan.
 * Negative when the account is over a limit (after a provider lowered its plan).
 */
export async function planHeadroom(
  tx: Prisma.TransactionClient,
  accountId: string,
  except: { siteId?: string } = {},
): Promise<Limits | null> {
  const account = await tx.account.findUnique({ where: { id: accountId }, select: { plan: true } });
  if (!account?.plan) return null;
  const limits = pickLimits(account.plan);
  const used = await measureSites(tx, {
    accountId,
    ...(except.siteId ? { id: { not: except.siteId } } : {}),
  });
  return Object.fromEntries(LIMIT_KEYS.map((key) => [key, limits[key] - (used[key] ?? 0)])) as Limits;
}

/** "Your plan has 3 GiB of storage left; this site needs 5 GiB." and what to do about it. */
export function storageLeftMessage(left: number, needed: number): string {
  const has = left <= 0 ? "Your plan has no storage left" : `Your plan has ${left} GiB of storage left`;
  return `${has}; this site needs ${needed} GiB. Choose a smaller size, upgrade the plan or free some storage.`;
}
