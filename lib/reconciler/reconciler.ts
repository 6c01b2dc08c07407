import type { KubeConfig } from "@kubernetes/client-node";
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
import { ServerAdminCache } from "@/lib/db-servers/connect";
import { databaseWorkOf } from "./database-work";
import {
  checkDatabaseServer,
  type DatabaseReconcileResult,
  reconcileDatabase,
  reconcileDatabaseUser,
} from "./reconcile-database";
import { type AccountReconcileResult, reconcileAccount } from "./reconcile-account";
import { ReconcileAborted, type ReconcileHooks, type ReconcileResult, reconcileSite } from "./reconcile-site";
import { type SiteDefaults, siteDefaultsFromEnv } from "./site-spec";
import { WorkQueue } from "./work-queue";

export interface ReconcilerHooks extends ReconcileHooks {
  /** After every pass over a site, successful or not. */
  onReconciled?: (siteId: string, result: ReconcileResult | { outcome: "error"; error: unknown }) => void;
  /** After every pass over an account, successful or not. */
  onAccountReconciled?: (
    accountId: string,
    result: AccountReconcileResult | { outcome: "error"; error: unknown },
  ) => void;
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
  /** Sites and accounts reconciled in parallel (never the same one twice at once); default 2. */
  workers?: number;
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  hooks?: ReconcilerHooks;
  /** Replaces the real API writer (tests). */
  writer?: ClusterWriter;
  /** Replaces the admin connection to the sites' database server (default SITEPOD_SITE_DB_ADMIN_URL). */
  siteDb?: SiteDbAdmin;
  /** Replaces the reader of failing containers' logs (tests). */
  logs?: PodLogReader;
  /** Replaces the admin connections to the registered database servers (tests). */
  databaseAdmins?: ServerAdminCache;
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
}

/**
 * Change-log rows can commit out of id order (auto-increment ids are taken before commit), so each
 * poll looks back this many ids and skips the ones it already saw.
 */
const CHANGE_LOOKBACK = 200n;

/**
 * One queue for both kinds, so they share workers and backoff; a key names its kind, and an
 * account and a site with the same id never collide.
 */
/** Account-level kinds a site's pass applies too, so their events concern the sites as well. */
const SITE_PREREQUISITES = new Set<ManagedKind>(["Namespace", "ServiceAccount", "NetworkPolicy"]);

const ITEM_KINDS = ["site", "account", "database", "dbuser", "dbserver"] as const;
type WorkItem = { kind: (typeof ITEM_KINDS)[number]; id: string };
const siteKey = (id: string) => `site/${id}`;
const accountKey = (id: string) => `account/${id}`;
// Databases, database users and database servers (lib/reconciler/reconcile-database.ts).
const databaseKey = (id: string) => `database/${id}`;
const dbUserKey = (id: string) => `dbuser/${id}`;
const dbServerKey = (id: string) => `dbserver/${id}`;
function parseKey(key: string): WorkItem {
  const slash = key.indexOf("/");
  const prefix = key.slice(0, slash);
  const kind = ITEM_KINDS.find((k) => k === prefix) ?? "site";
  return { kind, id: key.slice(slash + 1) };
}

export async function startReconciler(options: StartReconcilerOptions): Promise<Reconciler> {
  const { prisma, kubeConfig } = options;
  const log = options.log ?? rootLog.child({ component: "reconciler" });
  const hooks = options.hooks ?? {};
  const settings = options.settings ?? clusterSettingsFromEnv();
  const defaults = options.defaults ?? siteDefaultsFromEnv();
  const resyncMs = (options.resyncSeconds ?? (Number(process.env.SITEPOD_RESYNC_SECONDS) || 300)) * 1000;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const writer = options.writer ?? createClusterWriter(kubeConfig);
  const queue = new WorkQueue(options.backoff);
  const abort = new AbortController();
  /** account id -> its sites, learnt while reconciling, so account-level events find their sites. */
  const accountSites = new Map<string, Set<string>>();
  let stopping = false;

  function onEvent(_event: ObservedEvent, observed: ObservedObject): void {
    const labels = observed.object.metadata?.labels ?? {};
    const siteId = labels[SITE_LABEL];
    if (siteId) {
      queue.add(siteKey(siteId));
      return;
    }
    const accountId = labels[ACCOUNT_LABEL];
    if (!accountId) return;
    queue.add(accountKey(accountId));
    // Sites apply the namespace, its ServiceAccount and policies themselves; the quota's usage
    // (which changes with every pod) and the suspended page are the account's alone.
    if (!SITE_PREREQUISITES.has(observed.kind)) return;
    for (const id of accountSites.get(accountId) ?? []) queue.add(siteKey(id));
  }

  const informers = createManagedInformers({
    kubeConfig,
    log,
    onEvent,
    gatewayApiRequired: settings.routing === "gateway",
  });
  await informers.start();
  log.info("informers synced", { objects: informers.all().length });
  const siteDb = options.siteDb ?? createSiteDbAdmin();

  const ctx = {
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

  async function processSite(siteId: string): Promise<void> {
    const key = siteKey(siteId);
    const started = Date.now();
    try {
      const result = await reconcileSite({ ...ctx, log: log.child({ siteId }) }, siteId);
      remember(siteId, result);
      queue.forget(key);
      if (result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      if (result.wakeAccount && result.accountId) queue.add(accountKey(result.accountId));
      log.debug("reconciled", { siteId, outcome: result.outcome, ms: Date.now() - started });
      hooks.onReconciled?.(siteId, result);
    } catch (err) {
      if (err instanceof ReconcileAborted) return;
      const retryInMs = queue.addRateLimited(key);
      log.warn("reconcile failed", {
        siteId,
        error: apiErrorMessage(err),
        retryInMs,
        failures: queue.failureCount(key),
      });
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
      if (result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      log.debug("reconciled account", { accountId, outcome: result.outcome, ms: Date.now() - started });
      hooks.onAccountReconciled?.(accountId, result);
    } catch (err) {
      if (err instanceof ReconcileAborted) return;
      const retryInMs = queue.addRateLimited(key);
      log.warn("account reconcile failed", {
        accountId,
        error: apiErrorMessage(err),
        retryInMs,
        failures: queue.failureCount(key),
      });
      hooks.onAccountReconciled?.(accountId, { outcome: "error", error: err });
    }
  }

  // --- Databases, database users and database servers ------------------------------------------
  const databaseAdmins = options.databaseAdmins ?? new ServerAdminCache();
  const databaseCtx = { prisma, admins: databaseAdmins, log, now: () => new Date() };

  function followUp(key: string, result: DatabaseReconcileResult): void {
    if (result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
    for (const id of result.wakeDatabases ?? []) queue.add(databaseKey(id));
    for (const id of result.wakeSites ?? []) queue.add(siteKey(id));
  }

  async function processDatabaseItem(item: WorkItem, key: string): Promise<void> {
    const started = Date.now();
    try {
      if (item.kind === "dbserver") {
        const result = await checkDatabaseServer(
          { ...databaseCtx, log: log.child({ serverId: item.id }) },
          item.id,
        );
        queue.forget(key);
        if (!result) return;
        queue.addAfter(key, result.requeueAfterMs);
        // Back from an outage (or a fixed address): retry its objects now rather than at their backoff.
        if (result.recovered) await enqueueServerObjects([item.id]);
        return;
      }
      const result =
        item.kind === "database"
          ? await reconcileDatabase({ ...databaseCtx, log: log.child({ databaseId: item.id }) }, item.id)
          : await reconcileDatabaseUser(
              { ...databaseCtx, log: log.child({ databaseUserId: item.id }) },
              item.id,
            );
      queue.forget(key);
      followUp(key, result);
      log.debug("reconciled", { key, outcome: result.outcome, ms: Date.now() - started });
    } catch (err) {
      const retryInMs = queue.addRateLimited(key);
      log.warn("database reconcile failed", {
        key,
        error: err instanceof Error ? err.message : String(err),
        retryInMs,
        failures: queue.failureCount(key),
      });
    }
  }

  async function enqueueServerObjects(serverIds: string[]): Promise<void> {
    const where = { serverId: { in: serverIds } };
    const [databases, users] = await Promise.all([
      prisma.database.findMany({ where, select: { id: true } }),
      prisma.databaseUser.findMany({ where, select: { id: true } }),
    ]);
    for (const d of databases) queue.add(databaseKey(d.id));
    for (const u of users) queue.add(dbUserKey(u.id));
  }

  async function resyncDatabases(): Promise<void> {
    const [servers, databases, users] = await Promise.all([
      prisma.databaseServer.findMany({ select: { id: true } }),
      prisma.database.findMany({ select: { id: true } }),
      prisma.databaseUser.findMany({ select: { id: true } }),
    ]);
    for (const s of servers) queue.add(dbServerKey(s.id));
    for (const d of databases) queue.add(databaseKey(d.id));
    for (const u of users) queue.add(dbUserKey(u.id));
  }

  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const item = parseKey(key);
        if (item.kind === "account") await processAccount(item.id);
        else if (item.kind === "site") await processSite(item.id);
        else await processDatabaseItem(item, key);
      } finally {
        queue.done(key);
      }
    }
  }

  /** Every site, plus the sites of labelled objects that belong to our accounts but no longer exist. */
  async function resync(): Promise<void> {
    const sites = await prisma.site.findMany({ select: { id: true } });
    const known = new Set(sites.map((s) => s.id));
    for (const id of known) queue.add(siteKey(id));
    for (const a of await prisma.account.findMany({ select: { id: true } })) queue.add(accountKey(a.id));
    await resyncDatabases();
    const strays = new Map<string, string>();
    for (const o of informers.all()) {
      const labels = o.object.metadata?.labels ?? {};
      const siteId = labels[SITE_LABEL];
      const accountId = labels[ACCOUNT_LABEL];
      if (siteId && accountId && !known.has(siteId)) strays.set(siteId, accountId);
    }
    if (strays.size === 0) return;
    const accounts = await prisma.account.findMany({
      where: { id: { in: [...new Set(strays.values())] } },
      select: { id: true },
    });
    const ours = new Set(accounts.map((a) => a.id));
    for (const [siteId, accountId] of strays) {
      if (ours.has(accountId)) {
        log.info("orphaned objects found", { siteId, accountId });
        queue.add(siteKey(siteId));
      }
    }
  }

  // Start the change feed where the log is now: the initial resync covers everything before it.
  const max = await prisma.changeLog.aggregate({ _max: { id: true } });
  let lastSeen = max._max.id ?? 0n;
  const seen = new Set<bigint>();

  async function pollChanges(): Promise<void> {
    const floor = lastSeen > CHANGE_LOOKBACK ? lastSeen - CHANGE_LOOKBACK : 0n;
    // Ids first (index only): in steady state the window holds only rows already seen, and their
    // payloads need not be read again every poll.
    const recent = await prisma.changeLog.findMany({
      where: { id: { gt: floor } },
      orderBy: { id: "asc" },
      take: 1000,
      select: { id: true },
    });
    const fresh = recent.map((r) => r.id).filter((id) => !(id <= lastSeen && seen.has(id)));
    const rows =
      fresh.length === 0
        ? []
        : await prisma.changeLog.findMany({
            where: { id: { in: fresh } },
            orderBy: { id: "asc" },
            select: { id: true, kind: true, objectId: true, action: true, data: true },
          });
    const changedAccounts = new Set<string>();
    const changedPlans = new Set<string>();
    let catalogChanged = false;
    const changedServers = new Set<string>();
    for (const row of rows) {
      if (row.id <= lastSeen && seen.has(row.id)) continue;
      seen.add(row.id);
      if (row.id > lastSeen) lastSeen = row.id;
      // STATUS rows are our own writes: waking on them would only repeat the pass that wrote them.
      if (row.action === "STATUS") continue;
      if (row.kind === "Site") queue.add(siteKey(row.objectId));
      if (row.kind === "Account") changedAccounts.add(row.objectId);
      if (row.kind === "Plan") changedPlans.add(row.objectId);
      // A site's image and the suspended page's come from the runtime catalog.
      if (row.kind === "RuntimeImage") catalogChanged = true;
      const work = databaseWorkOf(row);
      if (work.databaseId) queue.add(databaseKey(work.databaseId));
      if (work.databaseUserId) queue.add(dbUserKey(work.databaseUserId));
      if (work.serverId) changedServers.add(work.serverId);
      const data = row.data as { siteId?: unknown } | null;
      if (data && typeof data === "object" && typeof data.siteId === "string")
        queue.add(siteKey(data.siteId));
    }
    if (catalogChanged) await resync();
    // A server's address or password changed: check it, and retry everything on it.
    if (changedServers.size > 0) {
      for (const id of changedServers) queue.add(dbServerKey(id));
      await enqueueServerObjects([...changedServers]);
      // Every tenant's NetworkPolicy lets site pods reach the registered servers' pod addresses.
      for (const a of await prisma.account.findMany({ select: { id: true } })) queue.add(accountKey(a.id));
    }
    // A plan change reaches the accounts on the plan; an account change (suspension, plan,
    // termination) reaches the account and every site of it.
    if (changedPlans.size > 0) {
      const onPlans = await prisma.account.findMany({
        where: { planId: { in: [...changedPlans] } },
        select: { id: true },
      });
      for (const a of onPlans) queue.add(accountKey(a.id));
    }
    if (changedAccounts.size > 0) {
      for (const id of changedAccounts) queue.add(accountKey(id));
      const sites = await prisma.site.findMany({
        where: { accountId: { in: [...changedAccounts] } },
        select: { id: true },
      });
      for (const site of sites) queue.add(siteKey(site.id));
    }
    for (const id of seen) if (id <= floor) seen.delete(id);
  }

  let pollTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  function schedulePoll(): void {
    if (stopping) return;
    pollTimer = setTimeout(() => {
      polling = pollChanges()
        .catch((err: unknown) => log.warn("change log poll failed", { err }))
        .finally(() => {
          polling = undefined;
          schedulePoll();
        });
    }, pollIntervalMs);
  }

  await resync();
  const workerCount = Math.max(1, options.workers ?? 2);
  const workers = Array.from({ length: workerCount }, () => worker());
  schedulePoll();
  const resyncTimer = setInterval(() => {
    resync().catch((err: unknown) => log.warn("resync failed", { err }));
  }, resyncMs);
  log.info("reconciler started", { workers: workerCount, resyncSeconds: resyncMs / 1000, lastSeen });

  let stopped: Promise<void> | undefined;
  return {
    enqueue: (siteId) => queue.add(siteKey(siteId)),
    enqueueAccount: (accountId) => queue.add(accountKey(accountId)),
    resync,
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
        // Only a connection this reconciler opened is its to close.
        if (!options.siteDb) await siteDb.close();
        if (!options.databaseAdmins) await databaseAdmins.close();
        log.info("reconciler stopped");
      })();
      return stopped;
    },
  };
}
