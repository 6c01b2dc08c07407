/**
 * What a cron job's objects say about it, as pure functions of what the informers hold: its runs
 * (the Jobs its CronJob made, with their pods' exit codes) and its conditions. The reconciler
 * (./reconcile-cron-job.ts) reads the objects and writes the result.
 */
import type { V1ContainerStatus, V1CronJob, V1Job, V1Pod } from "@kubernetes/client-node";
import type { CronRun } from "@/lib/services/cron-job/cron-job-view";
import { podsOfJob, timeOf } from "./site-faults";
import type { ConditionInput } from "./conditions";

/** Runs kept in the row: Kubernetes keeps at most the history limits (10 + 10) anyway. */
export const MAX_RUNS_SHOWN = 20;

/** Waiting reasons that mean a run's container will not start without someone fixing something. */
const STUCK_REASONS = new Set([
  "ErrImagePull",
  "ImagePullBackOff",
  "InvalidImageName",
  "CreateContainerConfigError",
  "CreateContainerError",
]);

function jobCondition(job: V1Job, type: string) {
  return job.status?.conditions?.find((c) => c.type === type && c.status === "True");
}

function iso(value: Date | string | undefined | null): string | null {
  const ms = timeOf(value);
  return ms === undefined ? null : new Date(ms).toISOString();
}

function containerOf(pod: V1Pod | undefined, container: string): V1ContainerStatus | undefined {
  return pod?.status?.containerStatuses?.find((c) => c.name === container);
}

/** One Job of the cron job as a run: its outcome, times, the command's exit code and why it failed. */
export function toRun(job: V1Job, pods: V1Pod[], container: string): CronRun {
  const newest = podsOfJob(job, pods)[0];
  const cs = containerOf(newest, container);
  const terminated = cs?.state?.terminated;
  const waiting = cs?.state?.waiting;
  const complete = jobCondition(job, "Complete");
  const failed = jobCondition(job, "Failed");
  const status: CronRun["status"] = complete ? "Succeeded" : failed ? "Failed" : "Running";
  let reason: string | null = null;
  if (failed) {
    // The container's own reason says more (OOMKilled) than the Job's (BackoffLimitExceeded),
    // except when the Job stopped the run (DeadlineExceeded).
    reason =
      failed.reason === "DeadlineExceeded"
        ? "DeadlineExceeded"
        : terminated?.reason && terminated.reason !== "Error"
          ? terminated.reason
          : (failed.reason ?? null);
  } else if (!complete && waiting?.reason && waiting.reason !== "ContainerCreating") {
    reason = waiting.reason;
  }
  return {
    name: job.metadata?.name ?? "",
    status,
    startedAt: iso(job.status?.startTime ?? job.metadata?.creationTimestamp),
    finishedAt: complete
      ? iso(job.status?.completionTime ?? complete.lastTransitionTime)
      : failed
        ? iso(failed.lastTransitionTime)
        : null,
    exitCode: terminated?.exitCode ?? null,
    reason,
  };
}

/** The cron job's runs, newest first. */
export function observeRuns(jobs: V1Job[], pods: V1Pod[], container: string): CronRun[] {
  return jobs
    .filter((j) => j.metadata?.name)
    .sort(
      (a, b) =>
        (timeOf(b.status?.startTime ?? b.metadata?.creationTimestamp) ?? 0) -
        (timeOf(a.status?.startTime ?? a.metadata?.creationTimestamp) ?? 0),
    )
    .slice(0, MAX_RUNS_SHOWN)
    .map((job) => toRun(job, pods, container));
}

/** The newest run that ended, if any: the one whose output is kept and whose outcome counts. */
export function latestFinished(runs: readonly CronRun[]): CronRun | undefined {
  return runs.find((r) => r.status !== "Running");
}

function describeFailure(run: CronRun): string {
  const parts = [
    run.exitCode !== null ? `exit code ${run.exitCode}` : null,
    run.reason === "DeadlineExceeded" ? "stopped after the maximum run time" : run.reason,
  ].filter(Boolean);
  return `The last run (${run.name}) failed${parts.length > 0 ? `: ${parts.join(", ")}` : ""}.`;
}

export interface CronJobObservation {
  /** The CronJob as applied or cached; undefined before it exists. */
  cronJob: V1CronJob | undefined;
  enabled: boolean;
  /** The account is suspended: the CronJob is suspended whatever `enabled` says. */
  accountSuspended: boolean;
  runs: CronRun[];
}

/**
 * Ready: the CronJob is in place (paused or not). Degraded: the newest finished run failed, or the
 * newest run cannot start (an image that will not pull); False once a run succeeds again.
 */
export function cronJobConditions(o: CronJobObservation): ConditionInput[] {
  const ready: ConditionInput = !o.cronJob
    ? {
        type: "Ready",
        status: "False",
        reason: "Pending",
        message: "Waiting for the cron job to be created.",
      }
    : o.accountSuspended
      ? {
          type: "Ready",
          status: "False",
          reason: "AccountSuspended",
          message: "The account is suspended: no runs start until it is restored.",
        }
      : o.enabled
        ? { type: "Ready", status: "True", reason: "Scheduled", message: "Runs on its schedule." }
        : { type: "Ready", status: "True", reason: "Paused", message: "Paused: no new runs start." };
  const newest = o.runs[0];
  const finished = latestFinished(o.runs);
  let degraded: ConditionInput;
  if (newest?.status === "Running" && newest.reason && STUCK_REASONS.has(newest.reason)) {
    degraded = {
      type: "Degraded",
      status: "True",
      reason: "RunCannotStart",
      message: `The current run (${newest.name}) cannot start: ${newest.reason}.`,
    };
  } else if (finished?.status === "Failed") {
    degraded = { type: "Degraded", status: "True", reason: "RunFailed", message: describeFailure(finished) };
  } else {
    degraded = finished
      ? { type: "Degraded", status: "False", reason: "LastRunSucceeded", message: "The last run succeeded." }
      : { type: "Degraded", status: "False", reason: "NoRunsYet", message: "No run has finished yet." };
  }
  return [ready, degraded];
}
