import { accountIdsOnPath } from "@/lib/authz/scope";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { allotmentMessage, allotmentViolations } from "@/lib/quota/allotment";
import { pickLimits, sumLimits } from "@/lib/quota/limits";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { sumHandedOut } from "@/lib/services/quota/sum-handed-out";
import type { Limits } from "@/lib/validation/plan";

export interface PlanChange {
  /**
   * The materialized path of the parent of the account whose plan changes: the allotments checked
   * are those of the accounts on it (the account's own allotment, if any, is not: it caps what the
   * account hands out, not what it holds).
   */
  parentPath: string;
  from: Limits | null;
  to: Limits | null;
}

/** "/a/b/c/" -> "/a/b/": the path of an account's parent, from the account's own path. */
export function parentPathOf(path: string): string {
  return path.replace(/[^/]+\/$/, "");
}

/**
 * Refuses plan changes that would make a reseller or agency above the accounts hand out more than
 * its allotment allows (times its oversell ratio). Every plan below a holder counts against it,
 * at any depth, except those of accounts being terminated. Locks the holders' rows first, so that
 * two concurrent assignments cannot both take the last of an allotment.
 */
export async function assertAllotmentsAllow(
  tx: Prisma.TransactionClient,
  changes: readonly PlanChange[],
): Promise<void> {
  const holderIds = new Set<string>();
  for (const change of changes) for (const id of accountIdsOnPath(change.parentPath)) holderIds.add(id);
  if (holderIds.size === 0) return;
  const holders = await tx.account.findMany({
    where: { id: { in: [...holderIds] }, allotment: { isNot: null } },
    select: { id: true, name: true, path: true, allotment: true },
  });
  if (holders.length === 0) return;
  await lockAccounts(
    tx,
    holders.map((h) => h.id),
  );
  // Outermost holder first: its message is the one that matters most to the caller.
  holders.sort((a, b) => a.path.length - b.path.length);
  for (const holder of holders) {
    if (!holder.allotment) continue;
    const below = changes.filter((c) => c.parentPath.startsWith(holder.path));
    if (below.length === 0) continue;
    const handedOut = await sumHandedOut(tx, holder);
    const violations = allotmentViolations({
      allotment: { ...pickLimits(holder.allotment), oversellRatio: holder.allotment.oversellRatio },
      handedOut,
      removing: sumLimits(below.flatMap((c) => (c.from ? [c.from] : []))),
      adding: sumLimits(below.flatMap((c) => (c.to ? [c.to] : []))),
    });
    if (violations.length > 0) {
      throw new AppError("LIMIT_EXCEEDED", allotmentMessage(holder.name, violations));
    }
  }
}
