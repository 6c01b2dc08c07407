import { canManageCronJobs } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { updateCronJobSchema } from "@/lib/validation/cron-job";
import { parseInput } from "@/lib/validation/parse-input";
import { authorizeCronJob, cronJobNotFound } from "./authorize-cron-job";
import { cronJobNameTaken, cronJobUniqueViolation, siteBeingDeleted } from "./cron-job-conflicts";
import { type CronJobView, toCronJobView } from "./cron-job-view";

export interface UpdateCronJobOptions {
  actor: Actor;
  cronJobId: string;
  /** Untrusted: the fields to change (the enable/pause toggle sends `enabled` alone). */
  input: unknown;
}

/**
 * Changes a cron job's spec and bumps its generation, with an UPDATED change, in one transaction.
 * A request that changes nothing writes nothing. A job being deleted cannot be changed.
 */
export async function updateCronJob(options: UpdateCronJobOptions): Promise<CronJobView> {
  const { actor } = options;
  const { cronJobId, accountId, siteId } = await authorizeCronJob({
    actor,
    cronJobId: options.cronJobId,
    permission: canManageCronJobs,
    action: "manage cron jobs",
  });
  const input = parseInput(updateCronJobSchema, options.input);
  try {
    const { row, changed } = await prisma.$transaction(async (tx) => {
      const current = await tx.cronJob.findFirst({
        where: { id: cronJobId, accountId },
        include: { site: { select: { deletionRequestedAt: true } } },
      });
      if (!current) throw cronJobNotFound();
      if (current.site.deletionRequestedAt) throw siteBeingDeleted();
      if (current.deletionRequestedAt) {
        throw new AppError("CONFLICT", "This cron job is being deleted; it cannot be changed.");
      }
      const data: Prisma.CronJobUpdateInput = {};
      const changed: string[] = [];
      for (const [key, value] of Object.entries(input) as [keyof typeof input, unknown][]) {
        if (value === undefined || current[key] === value) continue;
        (data as Record<string, unknown>)[key] = value;
        changed.push(key);
      }
      if (changed.length === 0) {
        const { site: _site, ...row } = current;
        return { row, changed };
      }
      if (input.name !== undefined && changed.includes("name")) {
        const taken = await tx.cronJob.findUnique({
          where: { siteId_name: { siteId, name: input.name } },
          select: { id: true },
        });
        if (taken) throw cronJobNameTaken(input.name);
      }
      // The generation guard makes two concurrent edits of one version record one change each, in order.
      const updated = await tx.cronJob.updateMany({
        where: { id: cronJobId, accountId, generation: current.generation, deletionRequestedAt: null },
        data: { ...(data as Prisma.CronJobUpdateManyMutationInput), generation: { increment: 1 } },
      });
      if (updated.count !== 1) {
        throw new AppError("CONFLICT", "The cron job was changed at the same moment. Please try again.");
      }
      const row = await tx.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
      await appendChange(tx, {
        kind: "CronJob",
        objectId: cronJobId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { siteId, name: row.name, changed, schedule: row.schedule, enabled: row.enabled },
        summary:
          changed.length === 1 && changed[0] === "enabled"
            ? `${row.enabled ? "Resumed" : "Paused"} cron job ${row.name}`
            : `Changed cron job ${row.name}: ${changed.join(", ")}`,
      });
      return { row, changed };
    });
    if (changed.length > 0) {
      log.info("cron job updated", {
        event: "cron_job.updated",
        cronJobId,
        siteId,
        accountId,
        userId: actor.userId,
        changed,
      });
    }
    return toCronJobView(row);
  } catch (err) {
    throw cronJobUniqueViolation(err, input.name) ?? err;
  }
}
