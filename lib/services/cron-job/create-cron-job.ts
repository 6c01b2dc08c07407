import { canManageCronJobs } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { assertWithinLimits } from "@/lib/services/quota/assert-within-limits";
import { createCronJobSchema } from "@/lib/validation/cron-job";
import { parseInput } from "@/lib/validation/parse-input";
import type { Condition } from "@/lib/views";
import { cronJobNameTaken, cronJobUniqueViolation, siteBeingDeleted } from "./cron-job-conflicts";
import { type CronJobView, toCronJobView } from "./cron-job-view";

export interface CreateCronJobOptions {
  actor: Actor;
  siteId: string;
  /** Untrusted: parsed here with createCronJobSchema whatever the caller already checked. */
  input: unknown;
}

/**
 * Adds a cron job to a site within the plan's maxCronJobs, with its CREATED change, in one
 * transaction; the reconciler then creates its CronJob. Nothing is written when any check fails.
 */
export async function createCronJob(options: CreateCronJobOptions): Promise<CronJobView> {
  const { actor } = options;
  const { siteId, accountId } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageCronJobs,
    action: "manage cron jobs",
  });
  const input = parseInput(createCronJobSchema, options.input);
  const conditions: Condition[] = [
    {
      type: "Ready",
      status: "False",
      reason: "Pending",
      message: "Waiting for the cron job to be created in the cluster.",
      lastTransitionTime: new Date().toISOString(),
      observedGeneration: 1,
    },
  ];
  try {
    const created = await prisma.$transaction(async (tx) => {
      await assertWithinLimits(tx, { accountId, adding: { maxCronJobs: 1 } });
      const site = await tx.site.findFirst({
        where: { id: siteId, accountId },
        select: { deletionRequestedAt: true },
      });
      if (!site || site.deletionRequestedAt) throw siteBeingDeleted();
      const taken = await tx.cronJob.findUnique({
        where: { siteId_name: { siteId, name: input.name } },
        select: { id: true },
      });
      if (taken) throw cronJobNameTaken(input.name);
      const row = await tx.cronJob.create({ data: { accountId, siteId, ...input, conditions } });
      await appendChange(tx, {
        kind: "CronJob",
        objectId: row.id,
        accountId,
        action: "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        // Not the command: it may carry a token the user put there.
        data: { siteId, name: row.name, schedule: row.schedule, enabled: row.enabled },
        summary: `Created cron job ${row.name} (${row.schedule})`,
      });
      return row;
    });
    log.info("cron job created", {
      event: "cron_job.created",
      cronJobId: created.id,
      siteId,
      accountId,
      userId: actor.userId,
    });
    return toCronJobView(created);
  } catch (err) {
    throw cronJobUniqueViolation(err, input.name) ?? err;
  }
}
