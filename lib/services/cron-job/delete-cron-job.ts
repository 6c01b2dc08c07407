import { canManageCronJobs } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizeCronJob, cronJobNotFound } from "./authorize-cron-job";
import { type CronJobView, toCronJobView } from "./cron-job-view";

/**
 * Requests the deletion of a cron job, as deleteSite does a site's: marks it and bumps its
 * generation with an UPDATED change. The reconciler deletes the CronJob (its Jobs and pods go with
 * it through their owner references), then the row. It stops counting against the plan at once.
 * Deleting a job already being deleted changes nothing.
 */
export async function deleteCronJob(options: { actor: Actor; cronJobId: string }): Promise<CronJobView> {
  const { actor } = options;
  const { cronJobId, accountId, siteId } = await authorizeCronJob({
    actor,
    cronJobId: options.cronJobId,
    permission: canManageCronJobs,
    action: "manage cron jobs",
  });
  const row = await prisma.$transaction(async (tx) => {
    const marked = await tx.cronJob.updateMany({
      where: { id: cronJobId, accountId, deletionRequestedAt: null },
      data: { deletionRequestedAt: new Date(), generation: { increment: 1 } },
    });
    const current = await tx.cronJob.findFirst({ where: { id: cronJobId, accountId } });
    if (!current) throw cronJobNotFound();
    if (marked.count === 1) {
      await appendChange(tx, {
        kind: "CronJob",
        objectId: cronJobId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { siteId, name: current.name, deletionRequested: true },
        summary: `Deleted cron job ${current.name}`,
      });
    }
    return current;
  });
  log.info("cron job deletion requested", {
    event: "cron_job.delete_requested",
    cronJobId,
    siteId,
    accountId,
    userId: actor.userId,
  });
  return toCronJobView(row);
}
