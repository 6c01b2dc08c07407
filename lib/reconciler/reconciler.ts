import type { KubeConfig, KubernetesObject, V1Pod } from "@kubernetes/client-node";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type ClusterWriter, createClusterWriter } from "@/lib/k8s/apply";
import { apiErrorMessage } from "@/lib/k8s/errors";
import { createManagedInformers, type ObservedEvent, type ObservedObject } from "@/lib/k8s/informers";
import { ACCOUNT_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import type { ManagedKind } from "@/lib/k8s/manifests/objects";
import { createPodLogReader, type PodLogReader } from "@/lib/k8s/pod-logs";
import { type ClusterSettings, clusterSettingsFromEnv } from "@/lib/k8s/manifests/types";
import { type Logger, log as rootLog } from "@/lib/log";
import { createSiteDbAdmin, type SiteDbAdmin } from "@/lib/site-db/admin";
import { type AccountReconcileResult, reconcileAccount } from "./reconcile-account";
import { ChangeCursor, type KindRoutes, parseWorkKey, workFromChanges, workKey } from "./change-feed";
import { ReconcileAborted, type ReconcileContext, type ReconcileHooks, SharedReads } from "./context";
import { type EventRecorder, startEventRecorder } from "./event-recorder";
import { wakesNothing } from "./wakes-nothing";
import { ServerAdminCache } from "@/lib/db-servers/connect";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import { databaseKinds } from "./database-kinds";
import { KINDS, type KindReconciler, type KindResult } from "./kinds";
import { planResync } from "./resync";
import { type ReconcileResult, reconcileSite } from "./reconcile-site";
import { reconcilerWorkers } from "./settings";
import { type SiteDefaults, siteDefaultsFromEnv } from "./site-spec";
import { waitForDatabase } from "./wait-for-database";
import { WorkQueue } from "./work-queue";

export interface ReconcilerHooks extends ReconcileHooks {
  /** After every pass over a site, successful or not. */
  onReconciled?: (siteId: string, result: ReconcileResult | { outcome: "error"; error: unknown }) => void;
  /** After every pass over an account, successful or not. */
  onAccountReconciled?: (
    accountId: string,
    result: AccountReconcileResult | { outcome: "error"; error: unknown },
  ) => void;
  /** After every pass over an object of another kind (see KindReconciler). */
  onKindReconciled?: (key: string, result: KindResult | { outcome: "error"; error: unknown }) => void;
}

export interface StartReconcilerOptions {
  prisma: PrismaClient;
  kubeConfig: KubeConfig;
  log?: Logger;
  settings?: ClusterSettings;
  defaults?: SiteDefaults;
  /** Periodic full resync; default SITEPOD_RESYNC_SECONDS or 300. */
  resyncSeconds?: number;
  /** How often the change log is polled; default 500 ms. */
  pollIntervalMs?: number;
  /** Sites and accounts reconciled in parallel (never the same one twice at once); default SITEPOD_RECONCILER_WORKERS or 2. */
  workers?: number;
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  hooks?: ReconcilerHooks;
  /** Replaces the real API writer (tests). */
  writer?: ClusterWriter;
  /** Replaces the admin connection to the sites' database server (default SITEPOD_SITE_DB_ADMIN_URL). */
  siteDb?: SiteDbAdmin;
  /** Replaces the reader of failing containers' logs (tests). */
  logs?: PodLogReader;
  /** The kinds besides sites and accounts (default lib/reconciler/kinds.ts KINDS). */
  kinds?: readonly KindReconciler[];
  /** Replaces the admin connections to the registered database servers (tests). */
  databaseAdmins?: ServerAdminCache;
  /** Record Kubernetes events of sites' objects into their timelines (default true). */
  recordEvents?: boolean;
}

export interface Reconciler {
  /** Stops taking work, lets in-flight passes end at their next safe point, stops the informers. */
  stop(): Promise<void>;
  /** Queues one site (tests; the change log and informers do this in normal operation). */
  enqueue(siteId: string): void;
  /** Queues one account, as enqueue does a site. */
  enqueueAccount(accountId: string): void;
  /** Queues every site and looks for orphaned objects, as the periodic resync does. */
  resync(): Promise<void>;
  /** The queue's depth and, per kind, the passes made and the time they took (since start). */
  stats(): ReconcilerStats;
}

export interface ReconcilerStats {
  queue: { ready: number; delayed: number; processing: number };
  workers: number;
  /** Per work kind ("site", "account", "cronJob", ...): passes, failed passes, total ms spent. */
  passes: Record<string, { count: number; failed: number; ms: number }>;
}

/** How far below the highest change-log id each poll looks for rows that committed late. */
const CHANGE_LOOKBACK = 200n;

/** How long a cluster event's wake-up waits for the rest of its burst. */
const EVENT_COALESCE_MS = 250;

/** Account-level kinds a site needs before its pods may run, so their events concern the sites too. */
const SITE_PREREQUISITES = new Set<ManagedKind>(["Namespace", "ServiceAccount", "NetworkPolicy"]);

const siteKey = (id: string) => workKey("site", id);
const accountKey = (id: string) => workKey("account", id);

/**
 * One queue for every kind, so they share workers and backoff; a key names its kind
 * (lib/reconciler/change-feed.ts), so objects of two kinds with the same id never collide.
 */
export async function startReconciler(options: StartReconcilerOptions): Promise<Reconciler> {
  const { prisma, kubeConfig } = options;
  const log = options.log ?? rootLog.child({ component: "reconciler" });
  const hooks = options.hooks ?? {};
  const settings = options.settings ?? clusterSettingsFromEnv();
  const defaults = options.defaults ?? siteDefaultsFromEnv();
  const databaseAdmins = options.databaseAdmins ?? new ServerAdminCache();
  const kinds = options.kinds ?? [...KINDS, ...databaseKinds(databaseAdmins)];
  const kindsByKey = new Map(kinds.map((k) => [k.key, k]));
  const routes: KindRoutes = {
    Site: "site",
    ...Object.fromEntries(kinds.flatMap((k) => k.changeKinds.map((c) => [c, k.key]))),
  };
  // Read first: a bad setting stops the start before anything is watched or written.
  const workerCount = Math.max(1, options.workers ?? reconcilerWorkers(process.env));
  const resyncMs = (options.resyncSeconds ?? (Number(process.env.SITEPOD_RESYNC_SECONDS) || 300)) * 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const writer = options.writer ?? createClusterWriter(kubeConfig);
  const queue = new WorkQueue(options.backoff);
  const abort = new AbortController();
  /** account id -> its sites, learnt while reconciling, so account-level events find their sites. */
  const accountSites = new Map<string, Set<string>>();
  let stopping = false;

  let recorder: EventRecorder | undefined;

  /**
   * Sites whose last pass found their account's namespace objects missing: nothing of theirs is
   * applied yet, so the event that brings those objects wakes them as urgent work, not routine.
   */
  const awaitingPrerequisites = new Set<string>();
  /**
   * A cluster event wakes its object a moment later: objects change in bursts (a Deployment, its
   * ReplicaSet and pods, their statuses), and one pass after the burst does what one per event
   * would. The change feed and resyncs queue at once.
   */
  const wake = (key: string) =>
    queue.addAfter(key, EVENT_COALESCE_MS, { urgent: awaitingPrerequisites.has(key) });

  function onEvent(event: ObservedEvent, observed: ObservedObject, previous?: () => KubernetesObject): void {
    if (observed.kind === "Pod") recorder?.observePod(observed.object as V1Pod);
    for (const kind of kinds) {
      const id = kind.ownerOf?.(observed);
      if (id) {
        wake(workKey(kind.key, id));
        return;
      }
    }
    if (wakesNothing(event, observed, previous)) return;
    const labels = observed.object.metadata?.labels ?? {};
    const siteId = labels[SITE_LABEL];
    if (siteId) {
      wake(siteKey(siteId));
      return;
    }
    const accountId = labels[ACCOUNT_LABEL];
    if (!accountId) return;
    wake(accountKey(accountId));
    // A site waits for its namespace, ServiceAccount and policies (the account's to apply); the
    // quota's usage (which changes with every pod) and the suspended page are the account's alone.
    if (!SITE_PREREQUISITES.has(observed.kind)) return;
    for (const id of accountSites.get(accountId) ?? []) wake(siteKey(id));
  }

  const informers = createManagedInformers({
    kubeConfig,
    log,
    onEvent,
    gatewayApiRequired: settings.routing === "gateway",
  });
  await informers.start();
  log.info("informers synced", { objects: informers.count() });
  if (options.recordEvents ?? true) {
    recorder = startEventRecorder({
      kubeConfig,
      prisma,
      observed: informers,
      log: log.child({ part: "events" }),
    });
    for (const o of informers.objectsOf("Pod")) recorder.observePod(o.object as V1Pod);
  }
  const siteDb = options.siteDb ?? createSiteDbAdmin();

  const ctx: ReconcileContext = {
    prisma,
    observed: informers,
    writer,
    settings,
    defaults,
    siteDb,
    logs: options.logs ?? createPodLogReader(kubeConfig),
    log,
    hooks,
    signal: abort.signal,
    now: () => new Date(),
    acceptedDrift: new Set(),
    siteDbEnsured: new Map(),
    shared: new SharedReads(),
  };

  function remember(siteId: string, result: ReconcileResult): void {
    if (!result.accountId) return;
    if (result.outcome === "deleted") {
      accountSites.get(result.accountId)?.delete(siteId);
      return;
    }
    let sites = accountSites.get(result.accountId);
    if (!sites) {
      sites = new Set();
      accountSites.set(result.accountId, sites);
    }
    sites.add(siteId);
  }

  /** A failed pass: retried with backoff, logged with how often it failed. */
  function failed(key: string, err: unknown, context: Record<string, unknown>): void {
    const retryInMs = queue.addRateLimited(key);
    log.warn("reconcile failed", {
      ...context,
      // A database restart fails every pass for a while; the backoff retries them after.
      ...(isDatabaseUnavailable(err) ? { event: "db.unavailable" } : {}),
      error: apiErrorMessage(err),
      retryInMs,
      failures: queue.failureCount(key),
    });
  }

  async function processSite(siteId: string): Promise<void> {
    const key = siteKey(siteId);
    const started = Date.now();
    try {
      const result = await reconcileSite({ ...ctx, log: log.child({ siteId }) }, siteId);
      remember(siteId, result);
      if (result.wakeAccount) awaitingPrerequisites.add(key);
      else awaitingPrerequisites.delete(key);
      queue.forget(key);
      queue.recheck(key, result.requeueAfterMs);
      if (result.wakeAccount && result.accountId) queue.add(accountKey(result.accountId), { urgent: true });
      log.debug("reconciled", { siteId, outcome: result.outcome, ms: Date.now() - started });
      hooks.onReconciled?.(siteId, result);
    } catch (err) {
      if (err instanceof ReconcileAborted) return;
      failed(key, err, { siteId });
      hooks.onReconciled?.(siteId, { outcome: "error", error: err });
    }
  }

  async function processAccount(accountId: string): Promise<void> {
    const key = accountKey(accountId);
    const started = Date.now();
    try {
      const result = await reconcileAccount({ ...ctx, log: log.child({ accountId }) }, accountId);
      queue.forget(key);
      for (const id of result.siteIds ?? []) queue.add(siteKey(id));
      if (result.outcome === "terminated") {
        accountSites.delete(accountId);
        if (result.parentId) queue.add(accountKey(result.parentId));
      }
      queue.recheck(key, result.requeueAfterMs);
      log.debug("reconciled account", { accountId, outcome: result.outcome, ms: Date.now() - started });
      hooks.onAccountReconciled?.(accountId, result);
    } catch (err) {
      if (err instanceof ReconcileAborted) return;
      failed(key, err, { accountId });
      hooks.onAccountReconciled?.(accountId, { outcome: "error", error: err });
    }
  }

  async function processKind(kind: KindReconciler, id: string): Promise<void> {
    const key = workKey(kind.key, id);
    const started = Date.now();
    try {
      const result = await kind.reconcile({ ...ctx, log: log.child({ kind: kind.key, id }) }, id);
      queue.forget(key);
      queue.recheck(key, result.requeueAfterMs);
      for (const siteId of result.wakeSites ?? []) queue.add(siteKey(siteId));
      for (const other of result.wake ?? []) queue.add(other);
      log.debug("reconciled", { kind: kind.key, id, outcome: result.outcome, ms: Date.now() - started });
      hooks.onKindReconciled?.(key, result);
    } catch (err) {
      if (err instanceof ReconcileAborted) return;
      failed(key, err, { kind: kind.key, id });
      hooks.onKindReconciled?.(key, { outcome: "error", error: err });
    }
  }

  const passes: ReconcilerStats["passes"] = {};

  async function dispatch(key: string): Promise<void> {
    const { kind } = parseWorkKey(key);
    const started = performance.now();
    const failuresBefore = queue.failureCount(key);
    try {
      await dispatchTo(key);
    } finally {
      const tally = passes[kind] ?? { count: 0, failed: 0, ms: 0 };
      passes[kind] = tally;
      tally.count++;
      tally.ms += performance.now() - started;
      if (queue.failureCount(key) > failuresBefore) tally.failed++;
    }
  }

  async function dispatchTo(key: string): Promise<void> {
    const { kind, id } = parseWorkKey(key);
    if (kind === "site") return processSite(id);
    if (kind === "account") return processAccount(id);
    const handler = kindsByKey.get(kind);
    if (handler) return processKind(handler, id);
    log.warn("work of an unknown kind dropped", { key });
  }

  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await dispatch(key);
      } finally {
        queue.done(key);
      }
    }
  }

  /**
   * `first`: the resync at start, whose passes apply what changed while no reconciler ran (every
   * site, on a fresh install), is urgent; the periodic ones only confirm, and are routine.
   */
  async function resync(first = false): Promise<void> {
    ctx.siteDbEnsured?.clear();
    ctx.shared?.clear();
    const plan = await planResync(prisma, informers, kinds);
    for (const orphan of plan.orphans) log.info("orphaned objects found", orphan);
    for (const key of plan.keys) queue.add(key, { urgent: first });
  }

  // Start the change feed where the log is now: the initial resync covers everything before it.
  // Both wait for a database that is restarting rather than fail the process.
  const max = await waitForDatabase(() => prisma.changeLog.aggregate({ _max: { id: true } }), {
    what: "reading the change log's position",
    log,
    signal: abort.signal,
  });
  const cursor = new ChangeCursor(max._max.id ?? 0n, CHANGE_LOOKBACK);

  async function pollChanges(): Promise<void> {
    // Ids first (index only): in steady state the window holds only rows already handled, and
    // their payloads need not be read again every poll.
    const recent = await prisma.changeLog.findMany({
      where: { id: { gt: cursor.floor } },
      orderBy: { id: "asc" },
      take: 1000,
      select: { id: true },
    });
    const fresh = cursor.fresh(recent.map((r) => r.id));
    if (fresh.length === 0) return;
    const rows = await prisma.changeLog.findMany({
      where: { id: { in: fresh } },
      orderBy: { id: "asc" },
      select: { id: true, kind: true, objectId: true, action: true, data: true },
    });
    const work = workFromChanges(rows, routes);
    // What someone changed goes before routine looks at how the cluster is doing (WorkQueue).
    const urgent = { urgent: true };
    for (const key of work.keys) queue.add(key, urgent);
    const changes = rows.filter((r) => r.action !== "STATUS");
    // Someone changed something: what passes share (the catalog, plans' room, the database
    // servers) is read afresh by the passes this batch wakes.
    if (changes.length > 0) ctx.shared?.clear();
    for (const kind of kinds) {
      for (const key of (await kind.workOfChanges?.(prisma, changes)) ?? []) queue.add(key, urgent);
    }
    const changedSites = rows
      .filter((r) => r.kind === "Site" && r.action !== "STATUS")
      .map((r) => r.objectId);
    if (changedSites.length > 0 || work.accounts.size > 0) {
      const changed = { siteIds: changedSites, accountIds: [...work.accounts] };
      for (const kind of kinds) {
        for (const id of (await kind.dependentsOf?.(prisma, changed)) ?? [])
          queue.add(workKey(kind.key, id), urgent);
      }
    }
    if (work.resync) await resync();
    // A plan change reaches the accounts on the plan; an account change (suspension, plan,
    // termination) reaches the account and every site of it.
    if (work.plans.size > 0) {
      const onPlans = await prisma.account.findMany({
        where: { planId: { in: [...work.plans] } },
        select: { id: true },
      });
      for (const a of onPlans) queue.add(accountKey(a.id), urgent);
    }
    if (work.accounts.size > 0) {
      for (const id of work.accounts) queue.add(accountKey(id), urgent);
      const sites = await prisma.site.findMany({
        where: { accountId: { in: [...work.accounts] } },
        select: { id: true },
      });
      for (const site of sites) queue.add(siteKey(site.id), urgent);
    }
    // Handled only now: a read above that failed (the database went away) leaves the rows to the
    // next poll, which queues them again (queueing twice is harmless), instead of losing the work
    // they make until the next periodic resync.
    cursor.advance(rows.map((r) => r.id));
  }

  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  function schedulePoll(): void {
    if (stopping) return;
    pollTimer = setTimeout(() => {
      polling = pollChanges()
        .catch((err: unknown) =>
          log.warn("change log poll failed", {
            ...(isDatabaseUnavailable(err) ? { event: "db.unavailable" } : {}),
            err,
          }),
        )
        .finally(() => {
          polling = undefined;
          schedulePoll();
        });
    }, pollIntervalMs);
  }

  await waitForDatabase(() => resync(true), { what: "the first resync", log, signal: abort.signal });
  const workers = Array.from({ length: workerCount }, () => worker());
  schedulePoll();
  const resyncTimer = setInterval(() => {
    resync().catch((err: unknown) =>
      log.warn("resync failed", { ...(isDatabaseUnavailable(err) ? { event: "db.unavailable" } : {}), err }),
    );
  }, resyncMs);
  log.info("reconciler started", {
    workers: workerCount,
    resyncSeconds: resyncMs / 1000,
    lastSeen: cursor.position,
    kinds: ["site", "account", ...kinds.map((k) => k.key)],
  });

  let stopped: Promise<void> | undefined;
  return {
    enqueue: (siteId) => queue.add(siteKey(siteId), { urgent: true }),
    enqueueAccount: (accountId) => queue.add(accountKey(accountId), { urgent: true }),
    resync,
    stats: () => ({
      queue: queue.depth(),
      workers: workerCount,
      passes: Object.fromEntries(Object.entries(passes).map(([k, v]) => [k, { ...v }])),
    }),
    stop() {
      stopped ??= (async () => {
        stopping = true;
        clearTimeout(pollTimer);
        clearInterval(resyncTimer);
        abort.abort();
        queue.shutDown();
        await Promise.all(workers);
        await polling;
        await informers.stop();
        await recorder?.stop();
        // Only a connection this reconciler opened is its to close.
        if (!options.siteDb) await siteDb.close();
        if (!options.databaseAdmins) await databaseAdmins.close();
        log.info("reconciler stopped");
      })();
      return stopped;
    },
  };
}
