/**
 * What the panel and the REST API get of a cron job: the spec, the status the reconciler observed,
 * and the schedule in words. Plain serialisable data; never the Prisma row.
 */
import { z } from "zod";
import type { CronConcurrencyPolicy, CronJob } from "@/lib/generated/prisma/client";
import { describeSchedule } from "@/lib/validation/cron-job";
import { type Condition, parseConditions } from "@/lib/views";

export const CRON_RUN_STATUSES = ["Running", "Succeeded", "Failed"] as const;

/** One run (a Job the CronJob made), as the reconciler last saw it. */
export const cronRunSchema = z.object({
  /** The Job's name. */
  name: z.string(),
  status: z.enum(CRON_RUN_STATUSES),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** The command's exit code, once its container ended (null while running or if never started). */
  exitCode: z.number().int().nullable(),
  /** Why a run failed in Kubernetes' words (DeadlineExceeded, BackoffLimitExceeded, OOMKilled...). */
  reason: z.string().nullable(),
});
export const cronRunsSchema = z.array(cronRunSchema);
export type CronRun = z.infer<typeof cronRunSchema>;

export type CronJobState = "ACTIVE" | "PAUSED" | "DELETING";

export interface CronJobView {
  id: string;
  accountId: string;
  siteId: string;
  name: string;
  schedule: string;
  /** The schedule in words ("At 03:00, Monday through Friday"), in UTC. */
  scheduleText: string;
  command: string;
  enabled: boolean;
  state: CronJobState;
  concurrencyPolicy: CronConcurrencyPolicy;
  successfulJobsHistoryLimit: number;
  failedJobsHistoryLimit: number;
  generation: number;
  observedGeneration: number;
  conditions: Condition[];
  deletionRequestedAt: string | null;
  lastScheduleTime: string | null;
  lastSuccessfulTime: string | null;
  /** Newest first. */
  runs: CronRun[];
  /** The end of the latest finished run's output, secrets redacted; null until one finished. */
  lastOutput: string | null;
  /** The run lastOutput comes from. */
  lastOutputRun: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Parses the stored runs; a malformed value (a reconciler bug) shows as no runs. */
export function parseRuns(value: unknown): CronRun[] {
  const parsed = cronRunsSchema.safeParse(value ?? []);
  return parsed.success ? parsed.data : [];
}

export function toCronJobView(row: CronJob): CronJobView {
  return {
    id: row.id,
    accountId: row.accountId,
    siteId: row.siteId,
    name: row.name,
    schedule: row.schedule,
    scheduleText: describeSchedule(row.schedule),
    command: row.command,
    enabled: row.enabled,
    state: row.deletionRequestedAt ? "DELETING" : row.enabled ? "ACTIVE" : "PAUSED",
    concurrencyPolicy: row.concurrencyPolicy,
    successfulJobsHistoryLimit: row.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: row.failedJobsHistoryLimit,
    generation: row.generation,
    observedGeneration: row.observedGeneration,
    conditions: parseConditions(row.conditions, { cronJobId: row.id }),
    deletionRequestedAt: row.deletionRequestedAt?.toISOString() ?? null,
    lastScheduleTime: row.lastScheduleTime?.toISOString() ?? null,
    lastSuccessfulTime: row.lastSuccessfulTime?.toISOString() ?? null,
    runs: parseRuns(row.runs),
    lastOutput: row.lastOutput,
    lastOutputRun: row.lastOutputRun,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
