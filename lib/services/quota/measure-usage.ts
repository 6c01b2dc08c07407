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
