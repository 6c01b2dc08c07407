import type { Prisma } from "@/lib/generated/prisma/client";
import { pickLimits, sumLimits, toUsage } from "@/lib/quota/limits";
import { measureSites } from "@/lib/services/quota/measure-usage";
import type { Limits } from "@/lib/validation/plan";

/**
 * What a reseller or agency has handed out: the limits of every plan assigned below it, at any
 * depth, plus everything the accounts below it without a plan use (they count in full: see
 * allotment-above.ts), not counting accounts being terminated. The one definition the allotment
 * checks, the allotment change and the allotment usage view share.
 */
export async function sumHandedOut(
  db: Prisma.TransactionClient,
  holder: { id: string; path: string },
): Promise<Limits> {
  const below = {
    path: { startsWith: holder.path },
    id: { not: holder.id },
    terminationRequestedAt: null,
  } satisfies Prisma.AccountWhereInput;
  const planless = { ...below, planId: null } satisfies Prisma.AccountWhereInput;
  // The same measure as measureUsage, over every plan-less account below at once.
  const live = { deletionRequestedAt: null, account: planless } satisfies Prisma.SiteWhereInput;
  const [planned, used, cronJobs, wordpressSites, databases] = await Promise.all([
    db.account.findMany({ where: { ...below, plan: { isNot: null } }, select: { plan: true } }),
    measureSites(db, { account: planless }),
    db.cronJob.count({
      where: { deletionRequestedAt: null, account: planless, site: { deletionRequestedAt: null } },
    }),
    db.site.count({ where: { ...live, app: "WORDPRESS" } }),
    db.database.count({ where: { deletionRequestedAt: null, account: planless } }),
  ]);
  return sumLimits([
    ...planned.flatMap((a) => (a.plan ? [pickLimits(a.plan)] : [])),
    toUsage({ ...used, maxCronJobs: cronJobs, maxDatabases: wordpressSites + databases }),
  ]);
}
