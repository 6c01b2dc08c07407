/**
 * The reconciler of one kind: a site's own cron jobs (CronJob rows). Level-based, as the site's:
 * each pass reads the row and its site from MySQL and the CronJob, its Jobs and their pods from the
 * informer caches, applies the CronJob when it differs, and writes what it observed (last schedule
 * and success, the runs with their exit codes, the latest run's output, conditions) back to the
 * row with a STATUS change, which the panel's live updates pick up.
 *
 * The CronJob hangs off the site's root like every site object, so deleting the site removes it
 * through the garbage collector; the site's own pass leaves objects labelled with a cron job alone.
 */
import type { V1CronJob, V1Job, V1Pod } from "@kubernetes/client-node";
import type { CronJob, Prisma } from "@/lib/generated/prisma/client";
import {
  type CronJobManifestSpec,
  buildCronJob,
  CRON_JOB_CONTAINER,
  cronJobObjectName,
} from "@/lib/k8s/manifests/cron-job";
import {
  ACCOUNT_LABEL,
  accountNamespace,
  CRON_JOB_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  siteObjectNames,
} from "@/lib/k8s/manifests/labels";
import type { ObservedObject } from "@/lib/k8s/informers";
import type { ObjectRef } from "@/lib/k8s/apply";
import { apiErrorMessage } from "@/lib/k8s/errors";
import { appendChange } from "@/lib/services/change-log/append-change";
import type { CronRun } from "@/lib/services/cron-job/cron-job-view";
import { parseRuns } from "@/lib/services/cron-job/cron-job-view";
import { loadRuntimeCatalog } from "@/lib/services/runtime/runtime-catalog";
import { cronJobConditions, latestFinished, observeRuns } from "./cron-job-status";
import { conditionsChanged, type ConditionInput, mergeConditions, parseConditions } from "./conditions";
import {
  checkAborted,
  deleteObject,
  ensure,
  isTerminating,
  ReconcileAborted,
  type ReconcileContext,
  refOf,
} from "./context";
import type { KindReconciler } from "./kinds";
import { isDependent } from "./reconcile-site";
import { secretValues } from "./site-evidence";
import { lastLines, LOG_LIMIT_BYTES, redact, timeOf } from "./site-faults";
import { InvalidSpecError, siteForReconcileInclude, toManifestSpec } from "./site-spec";

/** Lines of a run's output kept with the cron job. */
export const OUTPUT_TAIL_LINES = 50;

export type CronJobReconcileOutcome =
  | "synced" // the CronJob is in place; its status is recorded
  | "waiting" // the site's objects are not there yet, or an object is being deleted
  | "invalid" // terminal: the site's spec cannot be rendered
  | "skipped" // the site is being deleted: its pass removes everything, this job included
  | "deleting" // deletion requested, the CronJob still exists
  | "deleted" // the CronJob is gone and so is the row
  | "pruned"; // no row: leftover objects were deleted

export interface CronJobReconcileResult {
  outcome: CronJobReconcileOutcome;
  siteId?: string;
  requeueAfterMs?: number;
}

const cronJobInclude = { site: { include: siteForReconcileInclude } } satisfies Prisma.CronJobInclude;
type CronJobForReconcile = Prisma.CronJobGetPayload<{ include: typeof cronJobInclude }>;

/** The cron job's objects in the caches (the CronJob, its Jobs, their pods), found by label. */
function observedCronObjects(ctx: ReconcileContext, cronJobId: string): ObservedObject[] {
  return ctx.observed.labelled(CRON_JOB_LABEL, cronJobId);
}

function cronJobRef(namespace: string, cronJobId: string): ObjectRef {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: cronJobObjectName(cronJobId), namespace },
  };
}

export function toCronManifestSpec(row: CronJob): CronJobManifestSpec {
  return {
    id: row.id,
    name: row.name,
    schedule: row.schedule,
    command: row.command,
    enabled: row.enabled,
    concurrencyPolicy: row.concurrencyPolicy,
    successfulJobsHistoryLimit: row.successfulJobsHistoryLimit,
    failedJobsHistoryLimit: row.failedJobsHistoryLimit,
  };
}

/** The row is gone: delete what is left of it, in accounts this database knows only. */
async function pruneMissing(ctx: ReconcileContext, cronJobId: string): Promise<CronJobReconcileResult> {
  const leftovers = observedCronObjects(ctx, cronJobId).filter(
    (o) =>
      o.object.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE &&
      !isDependent(o) &&
      !isTerminating(o.object),
  );
  if (leftovers.length === 0) return { outcome: "pruned" };
  const accountIds = [...new Set(leftovers.map((o) => o.object.metadata?.labels?.[ACCOUNT_LABEL] ?? ""))];
  const known = await ctx.prisma.account.findMany({
    where: { id: { in: accountIds } },
    select: { id: true },
  });
  const ours = new Set(known.map((a) => a.id));
  for (const o of leftovers) {
    if (ours.has(o.object.metadata?.labels?.[ACCOUNT_LABEL] ?? "")) await deleteObject(ctx, refOf(o));
  }
  return { outcome: "pruned" };
}

/**
 * Deletes the CronJob (its Jobs and pods follow through their owner references), and once the API
 * server confirms it gone, the row with a DELETED change.
 */
async function finalizeDeletion(
  ctx: ReconcileContext,
  row: CronJobForReconcile,
): Promise<CronJobReconcileResult> {
  const ref = cronJobRef(accountNamespace(row.site.account.slug), row.id);
  const cached = ctx.observed.get("CronJob", ref.metadata.name, ref.metadata.namespace);
  if (cached && !isTerminating(cached)) await deleteObject(ctx, ref);
  checkAborted(ctx.signal);
  const live = await ctx.writer.read(ref);
  if (live) return { outcome: "deleting", siteId: row.siteId, requeueAfterMs: 2_000 };
  await ctx.prisma.$transaction(async (tx) => {
    const deleted = await tx.cronJob.deleteMany({
      where: { id: row.id, deletionRequestedAt: { not: null } },
    });
    if (deleted.count === 0) return;
    await appendChange(tx, {
      kind: "CronJob",
      objectId: row.id,
      accountId: row.accountId,
      action: "DELETED",
      data: { siteId: row.siteId, name: row.name },
    });
  });
  ctx.log.info("cron job deleted", { cronJobId: row.id, siteId: row.siteId });
  return { outcome: "deleted", siteId: row.siteId };
}

interface CronJobStatus {
  observedGeneration: number;
  conditions: ConditionInput[];
  lastScheduleTime: Date | null;
  lastSuccessfulTime: Date | null;
  runs: CronRun[];
  lastOutput: string | null;
  lastOutputRun: string | null;
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return (a?.getTime() ?? null) === (b?.getTime() ?? null);
}

/** Writes the status with a STATUS change when anything in it changed; a quiet pass writes nothing. */
async function writeStatus(
  ctx: ReconcileContext,
  row: CronJobForReconcile,
  next: CronJobStatus,
): Promise<boolean> {
  const current = parseConditions(row.conditions);
  const conditions = mergeConditions(current, next.conditions, next.observedGeneration, ctx.now());
  const changed =
    row.observedGeneration !== next.observedGeneration ||
    conditionsChanged(current, conditions) ||
    !sameTime(row.lastScheduleTime, next.lastScheduleTime) ||
    !sameTime(row.lastSuccessfulTime, next.lastSuccessfulTime) ||
    JSON.stringify(parseRuns(row.runs)) !== JSON.stringify(next.runs) ||
    row.lastOutput !== next.lastOutput ||
    row.lastOutputRun !== next.lastOutputRun;
  if (!changed) return false;
  const written = await ctx.prisma.$transaction(async (tx) => {
    // Not over a newer generation's row: the next pass writes that one.
    const updated = await tx.cronJob.updateMany({
      where: { id: row.id, generation: row.generation },
      data: {
        observedGeneration: next.observedGeneration,
        conditions,
        lastScheduleTime: next.lastScheduleTime,
        lastSuccessfulTime: next.lastSuccessfulTime,
        runs: next.runs,
        lastOutput: next.lastOutput,
        lastOutputRun: next.lastOutputRun,
      },
    });
    if (updated.count === 0) return false;
    const degraded = conditions.find((c) => c.type === "Degraded");
    await appendChange(tx, {
      kind: "CronJob",
      objectId: row.id,
      accountId: row.accountId,
      action: "STATUS",
      data: {
        siteId: row.siteId,
        observedGeneration: next.observedGeneration,
        lastRun: next.runs[0]?.status ?? null,
        degraded: degraded?.status ?? "Unknown",
      },
    });
    return true;
  });
  if (written) ctx.log.info("cron job status", { cronJobId: row.id, lastRun: next.runs[0]?.name ?? null });
  return written;
}

/**
 * The output of the latest finished run: read once per run (the pod's log, while the pod still
 * exists), redacted of the site's secrets; the stored one stays when there is nothing newer.
 */
async function latestOutput(
  ctx: ReconcileContext,
  row: CronJobForReconcile,
  namespace: string,
  runs: CronRun[],
  jobs: V1Job[],
  pods: V1Pod[],
  secrets: readonly string[],
): Promise<{ lastOutput: string | null; lastOutputRun: string | null }> {
  const kept = { lastOutput: row.lastOutput, lastOutputRun: row.lastOutputRun };
  const finished = latestFinished(runs);
  if (!finished || finished.name === row.lastOutputRun) return kept;
  const job = jobs.find((j) => j.metadata?.name === finished.name);
  const pod = pods
    .filter((p) =>
      (p.metadata?.ownerReferences ?? []).some((o) => o.kind === "Job" && o.uid === job?.metadata?.uid),
    )
    .sort(
      (a, b) => (timeOf(b.metadata?.creationTimestamp) ?? 0) - (timeOf(a.metadata?.creationTimestamp) ?? 0),
    )[0];
  if (!pod?.metadata?.name) {
    return { lastOutput: "(the run's pod is gone, and its output with it)", lastOutputRun: finished.name };
  }
  checkAborted(ctx.signal);
  const text = await ctx.logs.tail(
    { namespace, pod: pod.metadata.name, container: CRON_JOB_CONTAINER },
    { lines: OUTPUT_TAIL_LINES, bytes: LOG_LIMIT_BYTES },
  );
  const lines = lastLines(redact(text, secrets), OUTPUT_TAIL_LINES);
  return { lastOutput: lines.length > 0 ? lines.join("\n") : "(no output)", lastOutputRun: finished.name };
}

/**
 * One pass over one cron job. Throws on transient errors (the caller retries with backoff); an
 * invalid site spec is terminal and recorded as a condition.
 */
export async function reconcileCronJob(
  ctx: ReconcileContext,
  cronJobId: string,
): Promise<CronJobReconcileResult> {
  const row = await ctx.prisma.cronJob.findUnique({ where: { id: cronJobId }, include: cronJobInclude });
  if (!row) return pruneMissing(ctx, cronJobId);
  const site = row.site;
  // The site's own deletion removes the CronJob with the site's root; the row goes with the site's.
  if (site.deletionRequestedAt || site.account.terminationRequestedAt) {
    return { outcome: "skipped", siteId: row.siteId };
  }
  if (row.deletionRequestedAt) return finalizeDeletion(ctx, row);

  const namespace = accountNamespace(site.account.slug);
  let spec: ReturnType<typeof toManifestSpec>;
  try {
    spec = toManifestSpec(site, ctx.defaults, await loadRuntimeCatalog(ctx.prisma));
  } catch (err) {
    if (!(err instanceof InvalidSpecError)) throw err;
    await writeStatus(ctx, row, {
      ...statusOf(row),
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "InvalidSpec",
          message: `The site cannot run jobs: ${err.message}`,
        },
      ],
    });
    return { outcome: "invalid", siteId: row.siteId };
  }

  // The site's pass creates its root, volume, config and Secret: until the root exists there is
  // nothing to hang the CronJob on (and its pods could not start without the rest).
  const root = ctx.observed.get("ConfigMap", siteObjectNames(site.name).root, namespace);
  const rootUid = root?.metadata?.uid;
  if (!root || !rootUid || isTerminating(root)) {
    await writeStatus(ctx, row, {
      ...statusOf(row),
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "WaitingForSite",
          message: "Waiting for the site to be created.",
        },
      ],
    });
    return { outcome: "waiting", siteId: row.siteId, requeueAfterMs: 5_000 };
  }

  try {
    const ensured = await ensure(ctx, buildCronJob(spec, { uid: rootUid }, toCronManifestSpec(row)));
    if (ensured.terminating) return { outcome: "waiting", siteId: row.siteId, requeueAfterMs: 2_000 };
    const cronJob = ensured.object as V1CronJob;
    const objects = observedCronObjects(ctx, row.id);
    const jobs = objects.filter((o) => o.kind === "Job").map((o) => o.object as V1Job);
    const pods = objects.filter((o) => o.kind === "Pod").map((o) => o.object as V1Pod);
    const runs = observeRuns(jobs, pods, CRON_JOB_CONTAINER);
    const output = await latestOutput(ctx, row, namespace, runs, jobs, pods, secretValues(spec));
    checkAborted(ctx.signal);
    await writeStatus(ctx, row, {
      observedGeneration: row.generation,
      conditions: cronJobConditions({
        cronJob,
        enabled: row.enabled,
        accountSuspended: Boolean(spec.suspended),
        runs,
      }),
      lastScheduleTime: dateOf(cronJob.status?.lastScheduleTime),
      lastSuccessfulTime: dateOf(cronJob.status?.lastSuccessfulTime),
      runs,
      ...output,
    });
    return { outcome: "synced", siteId: row.siteId };
  } catch (err) {
    if (err instanceof ReconcileAborted) throw err;
    // Best effort: the error is what matters, a failing status write must not hide it.
    await writeStatus(ctx, row, {
      ...statusOf(row),
      conditions: [
        {
          type: "Ready",
          status: "False",
          reason: "ApplyFailed",
          message: apiErrorMessage(err).slice(0, 500),
        },
      ],
    }).catch((writeErr: unknown) => ctx.log.warn("status write failed", { cronJobId, err: writeErr }));
    throw err;
  }
}

function dateOf(value: Date | string | undefined): Date | null {
  const ms = timeOf(value);
  return ms === undefined ? null : new Date(ms);
}

/** The row's status as stored, to change only the conditions. */
function statusOf(row: CronJobForReconcile): CronJobStatus {
  return {
    observedGeneration: row.observedGeneration,
    conditions: parseConditions(row.conditions),
    lastScheduleTime: row.lastScheduleTime,
    lastSuccessfulTime: row.lastSuccessfulTime,
    runs: parseRuns(row.runs),
    lastOutput: row.lastOutput,
    lastOutputRun: row.lastOutputRun,
  };
}

/**
 * The cron job kind in the reconciler's registry (./kinds.ts): its change-log rows, its objects'
 * events (by the cron job label on the CronJob, its Jobs and their pods), the resync, and the
 * site and account changes its CronJob renders from (the site's image and volume, the account's
 * suspension).
 */
export const cronJobKind: KindReconciler = {
  key: "cronjob",
  changeKinds: ["CronJob"],
  async listIds(prisma) {
    return (await prisma.cronJob.findMany({ select: { id: true } })).map((r) => r.id);
  },
  ownerOf(observed) {
    return observed.object.metadata?.labels?.[CRON_JOB_LABEL];
  },
  async dependentsOf(prisma, changed) {
    const or: Prisma.CronJobWhereInput[] = [];
    if (changed.siteIds.length > 0) or.push({ siteId: { in: changed.siteIds } });
    if (changed.accountIds.length > 0) or.push({ accountId: { in: changed.accountIds } });
    if (or.length === 0) return [];
    return (await prisma.cronJob.findMany({ where: { OR: or }, select: { id: true } })).map((r) => r.id);
  },
  reconcile: (ctx, id) => reconcileCronJob(ctx, id),
};
