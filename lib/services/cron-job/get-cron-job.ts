import { canViewSite } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { authorizeCronJob, cronJobNotFound } from "./authorize-cron-job";
import { type CronJobView, toCronJobView } from "./cron-job-view";

/** One cron job the actor reaches; NOT_FOUND for unknown and foreign ids alike. */
export async function getCronJob(options: { actor: Actor; cronJobId: string }): Promise<CronJobView> {
  const { cronJobId, accountId } = await authorizeCronJob({
    actor: options.actor,
    cronJobId: options.cronJobId,
    permission: canViewSite,
    action: "view this site",
  });
  const row = await prisma.cronJob.findFirst({ where: { id: cronJobId, accountId } });
  // Deleted by the reconciler between the two reads.
  if (!row) throw cronJobNotFound();
  return toCronJobView(row);
}
