import type { Prisma } from "@/lib/generated/prisma/client";
import { toUsage, type Usage } from "@/lib/quota/limits";

/**
 * What an account uses now, read inside the caller's transaction. Sites whose deletion was
 * requested no longer count: the user has given them up. Databases are the account's Database
 * rows plus the own database of each WordPress site (lib/reconciler/site-spec.ts). Cron jobs,
 * storage, CPU, memory and backups have no model yet and count as 0 until they do.
 */
export async function measureUsage(tx: Prisma.TransactionClient, accountId: string): Promise<Usage> {
  const live = { accountId, deletionRequestedAt: null };
  const [sites, domains, wordpressSites, databases] = await Promise.all([
    tx.site.count({ where: live }),
    tx.domain.count({ where: { site: live } }),
    tx.site.count({ where: { ...live, app: "WORDPRESS" } }),
    tx.database.count({ where: live }),
  ]);
  return toUsage({ maxSites: sites, maxDomains: domains, maxDatabases: wordpressSites + databases });
}
