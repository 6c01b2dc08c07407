import type { Prisma } from "@/lib/generated/prisma/client";
import { toUsage, type Usage } from "@/lib/quota/limits";
import { siteFootprint, siteSizingSelect, sumFootprints } from "@/lib/quota/site-footprint";

/**
 * What the live sites matching `where` use: their count, their domains, and their storage, CPU
 * and memory as siteFootprint counts them (the function the reconciler renders their pods with,
 * so the panel counts what the namespace's quota does).
 */
export async function measureSites(
  tx: Prisma.TransactionClient,
  where: Prisma.SiteWhereInput,
): Promise<Partial<Usage>> {
  const live = { ...where, deletionRequestedAt: null } satisfies Prisma.SiteWhereInput;
  const [sites, domains] = await Promise.all([
    tx.site.findMany({ where: live, select: siteSizingSelect }),
    tx.domain.count({ where: { site: live } }),
  ]);
  return { maxSites: sites.length, maxDomains: domains, ...sumFootprints(sites.map(siteFootprint)) };
}

/**
 * What an account uses now, read inside the caller's transaction. Sites whose deletion was
 * requested no longer count: the user has given them up, and so do cron jobs being deleted and
 * those of such sites. Databases are the account's Database rows plus the own database of each
 * WordPress site. Backups have no model yet and count as 0. WordPress's built-in wp-cron is no
 * CronJob row and never counts.
 */
export async function measureUsage(tx: Prisma.TransactionClient, accountId: string): Promise<Usage> {
  const live = { accountId, deletionRequestedAt: null };
  const [sites, cronJobs, wordpressSites, databases] = await Promise.all([
    measureSites(tx, { accountId }),
    tx.cronJob.count({
      where: { accountId, deletionRequestedAt: null, site: { deletionRequestedAt: null } },
    }),
    tx.site.count({ where: { ...live, app: "WORDPRESS" } }),
    tx.database.count({ where: live }),
  ]);
  return toUsage({ ...sites, maxCronJobs: cronJobs, maxDatabases: wordpressSites + databases });
}

/**
 * What each of `accountIds` uses, as measureUsage counts it, in three queries whatever their number:
 * for lists of many accounts (a reseller's customers), where measureUsage per account would be four
 * queries each. Accounts without anything count zero.
 */
export async function measureUsageOfAccounts(
  db: Prisma.TransactionClient,
  accountIds: readonly string[],
): Promise<Map<string, Usage>> {
  const result = new Map<string, Usage>(accountIds.map((id) => [id, toUsage({})]));
  if (accountIds.length === 0) return result;
  const ids = [...accountIds];
  const [sites, cronJobs, databases] = await Promise.all([
    db.site.findMany({
      where: { accountId: { in: ids }, deletionRequestedAt: null },
      select: { ...siteSizingSelect, accountId: true, app: true, _count: { select: { domains: true } } },
    }),
    db.cronJob.groupBy({
      by: ["accountId"],
      where: { accountId: { in: ids }, deletionRequestedAt: null, site: { deletionRequestedAt: null } },
      _count: { _all: true },
    }),
    db.database.groupBy({
      by: ["accountId"],
      where: { accountId: { in: ids }, deletionRequestedAt: null },
      _count: { _all: true },
    }),
  ]);
  const sitesOf = new Map<string, typeof sites>();
  for (const site of sites) sitesOf.set(site.accountId, [...(sitesOf.get(site.accountId) ?? []), site]);
  const count = (rows: { accountId: string; _count: { _all: number } }[]) =>
    new Map(rows.map((row) => [row.accountId, row._count._all]));
  const cronJobsOf = count(cronJobs);
  const databasesOf = count(databases);
  for (const id of ids) {
    const own = sitesOf.get(id) ?? [];
    result.set(
      id,
      toUsage({
        maxSites: own.length,
        maxDomains: own.reduce((sum, site) => sum + site._count.domains, 0),
        ...sumFootprints(own.map(siteFootprint)),
        maxCronJobs: cronJobsOf.get(id) ?? 0,
        maxDatabases: own.filter((site) => site.app === "WORDPRESS").length + (databasesOf.get(id) ?? 0),
      }),
    );
  }
  return result;
}
