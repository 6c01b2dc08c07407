import type { Prisma } from "@/lib/generated/prisma/client";
import { toUsage, type Usage } from "@/lib/quota/limits";

/**
 * What an account uses now, read inside the caller's transaction. Sites whose deletion was
 * requested no longer count: the user has given them up, and so do cron jobs being deleted and
 * those of such sites. Databases, storage, CPU, memory and backups have no model yet and count as 0
 * until they do. WordPress's built-in wp-cron is no CronJob row and never counts.
 */
export async function measureUsage(tx: Prisma.TransactionClient, accountId: string): Promise<Usage> {
  const live = { accountId, deletionRequestedAt: null };
  const [sites, domains, cronJobs] = await Promise.all([
    tx.site.count({ where: live }),
    tx.domain.count({ where: { site: live } }),
    tx.cronJob.count({ where: { ...live, site: { deletionRequestedAt: null } } }),
  ]);
  return toUsage({ maxSites: sites, maxDomains: domains, maxCronJobs: cronJobs });
}
