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

/**
 * "Your plan has 3 GiB of storage left; this site needs 5 GiB." and what to do about it. Volumes
 * never shrink: only deleting a site gives storage back.
 */
export function storageLeftMessage(left: number, needed: number): string {
  if (left <= 0) {
    return `Your plan has no storage left; this site needs ${needed} GiB. Upgrade the plan or delete a site to free its storage.`;
  }
  return `Your plan has ${left} GiB of storage left; this site needs ${needed} GiB. Choose ${left} GiB or less, upgrade the plan or delete a site to free its storage.`;
}
