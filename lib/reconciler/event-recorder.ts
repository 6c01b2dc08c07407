/**
 * Records what Kubernetes reports about sites' objects into their timelines (SiteEvent rows):
 * the events of their pods, Deployments, Jobs, CronJobs and volumes (scheduling, image pulls,
 * failing probes, back-offs), and container restarts read from pod status (an OOM kill has no
 * event of its own). The web process never talks to the cluster; this is how the panel learns.
 *
 * Events are watched cluster-wide from "now" (history before the reconciler started is not
 * replayed), kept only in Sitepod's namespaces and only for objects of a site, and written in
 * batches: one transaction a second at most, however many events arrive.
 */
import { CoreV1Api, type KubeConfig, type V1Pod, Watch } from "@kubernetes/client-node";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { ObservedState } from "@/lib/k8s/informers";
import {
  ACCOUNT_LABEL,
  COMPONENT_LABEL,
  CRON_JOB_LABEL,
  namespacePrefix,
  SITE_LABEL,
} from "@/lib/k8s/manifests/labels";
import type { ManagedKind } from "@/lib/k8s/manifests/objects";
import { WP_CRON_COMPONENT } from "@/lib/k8s/manifests/wp-cron";
import type { Logger } from "@/lib/log";
import { appendChanges } from "@/lib/services/change-log/append-change";

export interface RecordedEvent {
  /** The Kubernetes event's uid, or a made-up stable key for a restart read from pod status. */
  uid: string;
  siteId: string;
  accountId: string;
  type: "Normal" | "Warning";
  reason: string;
  object: string;
  message: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** The parts of a core/v1 Event the recorder reads (the watch hands over plain JSON). */
export interface KubeEvent {
  metadata?: { uid?: string; namespace?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
}

const WATCHED_KINDS = new Set<string>([
  "Pod",
  "Deployment",
  "Job",
  "CronJob",
  "PersistentVolumeClaim",
  "Service",
  "HTTPRoute",
  "Ingress",
]);

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}...` : text);

/** The site (and account) of the object an event is about, from the informer caches' labels. */
export function siteOfEvent(
  event: KubeEvent,
  observed: Pick<ObservedState, "get">,
  prefix: string,
): { siteId: string; accountId: string; object: string } | undefined {
  const involved = event.involvedObject;
  const namespace = involved?.namespace ?? event.metadata?.namespace ?? "";
  if (!namespace.startsWith(prefix) || !involved?.kind || !involved.name) return undefined;
  let kind = involved.kind;
  let name = involved.name;
  // A Deployment's ReplicaSet is `<deployment>-<hash>` and is not watched: its events are the Deployment's.
  if (kind === "ReplicaSet") {
    kind = "Deployment";
    name = name.slice(0, name.lastIndexOf("-"));
  }
  if (!WATCHED_KINDS.has(kind)) return undefined;
  const labels = observed.get(kind as ManagedKind, name, namespace)?.metadata?.labels ?? {};
  const siteId = labels[SITE_LABEL];
  const accountId = labels[ACCOUNT_LABEL];
  if (!siteId || !accountId) return undefined;
  // A cron job's runs (a Job and a pod as often as every minute) would bury the timeline in
  // "Scheduled", "Pulled", "Completed": only their warnings are kept. The cron job itself records
  // each run's outcome (lib/reconciler/reconcile-cron-job.ts). So with WordPress's wp-cron, whose
  // CronJob reports every five minutes that it created a run, saw it complete and deleted the last.
  const runs = labels[CRON_JOB_LABEL] !== undefined || labels[COMPONENT_LABEL] === WP_CRON_COMPONENT;
  if (runs && event.type !== "Warning") return undefined;
  return { siteId, accountId, object: `${involved.kind}/${involved.name}` };
}

function timeOf(...values: Array<string | undefined>): Date | undefined {
  for (const v of values) {
    if (!v) continue;
    const t = new Date(v);
    if (!Number.isNaN(t.getTime())) return t;
  }
  return undefined;
}

/** The row for a Kubernetes event of a site's object, or undefined when it is none of ours. */
export function toRecordedEvent(
  event: KubeEvent,
  observed: Pick<ObservedState, "get">,
  prefix: string,
  now: Date,
): RecordedEvent | undefined {
  const uid = event.metadata?.uid;
  const site = siteOfEvent(event, observed, prefix);
  if (!uid || !site) return undefined;
  const last = timeOf(event.series?.lastObservedTime, event.lastTimestamp, event.eventTime) ?? now;
  return {
    uid,
    ...site,
    type: event.type === "Warning" ? "Warning" : "Normal",
    reason: clip(event.reason || "Unknown", 64),
    message: clip((event.message ?? "").trim() || (event.reason ?? ""), 1000),
    count: Math.max(1, event.series?.count ?? event.count ?? 1),
    firstSeenAt: timeOf(event.firstTimestamp, event.eventTime) ?? last,
    lastSeenAt: last,
  };
}

/**
 * A container restart read from a site pod's status: the kubelet reports an OOM kill or a crash
 * there, not as an event. Keyed by pod, container and restart count, so each restart is one row.
 */
export function restartsOf(pod: V1Pod, prefix: string, now: Date): RecordedEvent[] {
  const namespace = pod.metadata?.namespace ?? "";
  const labels = pod.metadata?.labels ?? {};
  const siteId = labels[SITE_LABEL];
  const accountId = labels[ACCOUNT_LABEL];
  const podUid = pod.metadata?.uid;
  if (!namespace.startsWith(prefix) || !siteId || !accountId || !podUid) return [];
  const out: RecordedEvent[] = [];
  for (const c of pod.status?.containerStatuses ?? []) {
    const terminated = c.lastState?.terminated;
    if (!terminated || c.restartCount < 1) continue;
    const oom = terminated.reason === "OOMKilled";
    const at = timeOf(String(terminated.finishedAt ?? "")) ?? now;
    out.push({
      uid: `restart/${podUid}/${c.name}/${c.restartCount}`,
      siteId,
      accountId,
      type: "Warning",
      reason: oom ? "OOMKilled" : "ContainerRestarted",
      object: `Pod/${pod.metadata?.name ?? ""}`,
      message: oom
        ? `Container ${c.name} ran out of memory and was restarted (restart ${c.restartCount}). Give the site more memory in its settings, or lower PHP's memory_limit.`
        : `Container ${c.name} exited with code ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ""} and was restarted (restart ${c.restartCount}).`,
      count: 1,
      firstSeenAt: at,
      lastSeenAt: at,
    });
  }
  return out;
}

export interface EventRecorder {
  /** Pods come from the reconciler's informers: their restarts are read from status. */
  observePod(pod: V1Pod): void;
  /** Writes what is buffered now (tests; the recorder flushes on its own every `flushMs`). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const MAX_BUFFERED = 2_000;

/**
 * After a batch could not be written (the database went away), its events go back into the
 * buffer for the next flush, unless a newer copy of the same event arrived meanwhile or the buffer
 * is full.
 */
export function requeueUnwritten(
  buffer: Map<string, RecordedEvent>,
  batch: readonly RecordedEvent[],
  max = MAX_BUFFERED,
): number {
  let requeued = 0;
  for (const event of batch) {
    if (buffer.has(event.uid) || buffer.size >= max) continue;
    buffer.set(event.uid, event);
    requeued++;
  }
  return requeued;
}

/**
 * Writes a batch of events into their sites' timelines, in one transaction: new ones inserted and
 * ones seen before (a probe failing again) updated, in one statement, and a STATUS change-log row
 * per site with a warning (live updates follow the change log). A site deleted meanwhile is
 * skipped.
 */
export async function writeEventBatch(prisma: PrismaClient, batch: RecordedEvent[]): Promise<void> {
  // A site deleted meanwhile takes its timeline with it.
  const live = new Set(
    (
      await prisma.site.findMany({
        where: { id: { in: [...new Set(batch.map((e) => e.siteId))] } },
        select: { id: true },
      })
    ).map((s) => s.id),
  );
  const rows = batch.filter((e) => live.has(e.siteId));
  if (rows.length === 0) return;
  await prisma.$transaction(async (tx) => {
    // One statement however many events the batch holds: new ones inserted, the ones seen before
    // (a probe failing again: the same uid, a higher count) updated in place, by the unique uid.
    // At 5,000 sites one update per repeat kept the transaction past Prisma's 5 s limit.
    await tx.$executeRaw`
      INSERT INTO SiteEvent
        (siteId, accountId, source, type, reason, object, message, count, eventUid, firstSeenAt, lastSeenAt)
      VALUES ${Prisma.join(
        rows.map(
          (e) =>
            Prisma.sql`(${e.siteId}, ${e.accountId}, 'KUBERNETES', ${e.type}, ${e.reason}, ${clip(e.object, 160)},
              ${e.message}, ${e.count}, ${e.uid}, ${e.firstSeenAt}, ${e.lastSeenAt})`,
        ),
      )}
      ON DUPLICATE KEY UPDATE count = VALUES(count), lastSeenAt = VALUES(lastSeenAt), message = VALUES(message)`;
    // Warnings reach open pages at once (live updates follow the change log); the rest with
    // the timeline's own refresh.
    const events = new Map<string, number>();
    const warned = new Map<string, string>();
    for (const e of rows) {
      events.set(e.siteId, (events.get(e.siteId) ?? 0) + 1);
      if (e.type === "Warning") warned.set(e.siteId, e.accountId);
    }
    await appendChanges(
      tx,
      [...warned].map(([siteId, accountId]) => ({
        kind: "Site",
        objectId: siteId,
        accountId,
        action: "STATUS" as const,
        data: { siteId, events: events.get(siteId) ?? 0 },
      })),
    );
  });
}

export function startEventRecorder(options: {
  kubeConfig: KubeConfig;
  prisma: PrismaClient;
  observed: Pick<ObservedState, "get">;
  log: Logger;
  flushMs?: number;
  now?: () => Date;
}): EventRecorder {
  const { prisma, observed, log } = options;
  const now = options.now ?? (() => new Date());
  const prefix = namespacePrefix();
  const buffer = new Map<string, RecordedEvent>();
  const seenRestarts = new Set<string>();
  let stopped = false;
  let watchAbort: AbortController | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let retryMs = 1_000;

  function add(event: RecordedEvent): void {
    if (buffer.size >= MAX_BUFFERED && !buffer.has(event.uid)) {
      log.warn("event buffer full; event dropped", { reason: event.reason, object: event.object });
      return;
    }
    buffer.set(event.uid, event);
  }

  /** One flush at a time: with the database away, each would wait out the pool's timeout. */
  let flushing: Promise<void> | undefined;
  function flush(): Promise<void> {
    if (flushing !== undefined) return flushing;
    if (buffer.size === 0) return Promise.resolve();
    const batch = [...buffer.values()];
    buffer.clear();
    flushing = writeEventBatch(prisma, batch)
      .catch((err: unknown) => {
        requeueUnwritten(buffer, batch);
        throw err;
      })
      .finally(() => {
        flushing = undefined;
      });
    return flushing;
  }

  const flushTimer = setInterval(() => {
    flush().catch((err: unknown) => log.warn("recording site events failed", { err: String(err) }));
  }, options.flushMs ?? 1_000);

  /** Where the watch resumes; undefined: from "now" (a fresh list's resourceVersion). */
  let resumeFrom: string | undefined;

  function restart(afterError: boolean): void {
    if (stopped) return;
    restartTimer = setTimeout(() => void startWatch(), afterError ? retryMs : 0);
    if (afterError) retryMs = Math.min(retryMs * 2, 30_000);
  }

  async function startWatch(): Promise<void> {
    if (stopped) return;
    try {
      // From now on: the list gives the current resourceVersion without reading old events.
      if (!resumeFrom) {
        const list = await options.kubeConfig
          .makeApiClient(CoreV1Api)
          .listEventForAllNamespaces({ limit: 1 });
        resumeFrom = list.metadata?.resourceVersion;
      }
      if (stopped) return;
      watchAbort = await new Watch(options.kubeConfig).watch(
        "/api/v1/events",
        // The server ends the watch before the client's 30 s inactivity timeout would.
        { resourceVersion: resumeFrom, allowWatchBookmarks: true, timeoutSeconds: 25 },
        (phase, obj: KubeEvent & { code?: number; metadata?: { resourceVersion?: string } }) => {
          if (phase === "ERROR") {
            // 410 Gone: the resume point is too old; start over from now.
            if (obj.code === 410) resumeFrom = undefined;
            return;
          }
          if (obj.metadata?.resourceVersion) resumeFrom = obj.metadata.resourceVersion;
          if (phase !== "ADDED" && phase !== "MODIFIED") return;
          const event = toRecordedEvent(obj, observed, prefix, now());
          if (event) add(event);
        },
        (err: unknown) => {
          if (stopped) return;
          // A quiet watch ending (server timeout, or the client's inactivity timeout) is normal.
          const quiet = !err || (err instanceof Error && err.name === "TimeoutError");
          if (quiet) {
            retryMs = 1_000;
            restart(false);
            return;
          }
          if ((err as { statusCode?: number }).statusCode === 410) resumeFrom = undefined;
          log.warn("event watch ended; restarting", { err: String(err), retryInMs: retryMs });
          restart(true);
        },
      );
    } catch (err) {
      if (stopped) return;
      log.warn("event watch failed to start; retrying", { err: String(err), retryInMs: retryMs });
      restart(true);
    }
  }
  void startWatch();

  return {
    observePod(pod) {
      for (const restart of restartsOf(pod, prefix, now())) {
        if (seenRestarts.has(restart.uid)) continue;
        seenRestarts.add(restart.uid);
        if (seenRestarts.size > 10_000) seenRestarts.clear();
        add(restart);
      }
    },
    flush,
    async stop() {
      stopped = true;
      clearInterval(flushTimer);
      clearTimeout(restartTimer);
      watchAbort?.abort();
      await flush().catch((err: unknown) => log.warn("recording site events failed", { err: String(err) }));
    },
  };
}
