import type {
  KubernetesObject,
  V1Deployment,
  V1Job,
  V1PersistentVolumeClaim,
  V1Pod,
} from "@kubernetes/client-node";
import type { SitePhase } from "@/lib/generated/prisma/enums";
import type { ClusterWriter, ObjectRef } from "@/lib/k8s/apply";
import { apiErrorMessage, apiStatusCode, isKindNotServed } from "@/lib/k8s/errors";
import type { ObservedObject, ObservedState } from "@/lib/k8s/informers";
import { buildAccountObjects } from "@/lib/k8s/manifests/account";
import { contentHash, specHashOf } from "@/lib/k8s/manifests/hash";
import { INSTALL_CONTAINER, wantsInstall } from "@/lib/k8s/manifests/install-job";
import {
  ACCOUNT_LABEL,
  accountNamespace,
  COMPONENT_LABEL,
  CRON_JOB_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  SITE_LABEL,
  siteObjectNames,
} from "@/lib/k8s/manifests/labels";
import { type ManagedKind, objectKey } from "@/lib/k8s/manifests/objects";
import { routeRejection, routingLimitations } from "@/lib/k8s/manifests/route";
import { buildSiteChildren, buildSiteRoot } from "@/lib/k8s/manifests/site";
import { appendChange, appendSiteStatus } from "@/lib/services/change-log/append-change";
import { loadRuntimeCatalog } from "@/lib/services/runtime/runtime-catalog";
import { SiteDatabaseUnavailableError } from "@/lib/site-db/admin";
import { dropSiteDatabase } from "@/lib/site-db/drop-site-database";
import { type EnsureSiteDatabaseOptions, ensureSiteDatabase } from "@/lib/site-db/ensure-site-database";
import { type ConditionInput, mergeConditions, parseConditions } from "./conditions";
import {
  checkAborted,
  deleteObject,
  type Ensured,
  ensure,
  isTerminating,
  ReconcileAborted,
  type ReconcileContext,
  refOf,
  sharedRead,
} from "./context";
import { observeDomainTls } from "./domain-tls";
import { namespaceOwnedElsewhereStatus, namespaceOwnership } from "./namespace-owner";
import { gatewayApiMissingStatus, withRouteRejection, withRoutingLimitations } from "./route-status";
import { corrections, recordSiteEvents } from "./site-events";
import { collectEvidence } from "./site-evidence";
import {
  type InstallState,
  installJobState,
  installJobSucceeded,
  installPodCheckInMs,
  installRetryDelayMs,
  podsOfJob,
} from "./site-faults";
import { recordInstalled, retryInstall } from "./site-install";
import { loadRollout } from "./site-rollout";
import { InvalidSpecError, type SiteForReconcile, loadSiteForReconcile, toManifestSpec } from "./site-spec";
import {
  applyFailedStatus,
  databaseUnavailableStatus,
  deletingStatus,
  installPodRefusedStatus,
  invalidSpecStatus,
  type ObservedStatus,
  observeSiteStatus,
  type SiteStatus,
  statusChanged,
  storedEvidence,
  suspendedStatus,
  withEvidence,
  withStorageResizeRefused,
} from "./site-status";

function isProgressing(status: { conditions: ConditionInput[] }): boolean {
  return status.conditions.some((c) => c.type === "Progressing" && c.status === "True");
}

export type ReconcileOutcome =
  | "synced" // everything applied and the site is serving
  | "progressing" // everything applied, waiting for the cluster (informer events will wake us)
  | "waiting" // an object is being deleted by Kubernetes; retry shortly
  | "invalid" // terminal: the spec cannot be rendered
  | "deleting" // deletion requested, objects still present
  | "deleted" // objects gone, rows deleted
  | "pruned"; // the site no longer exists; its leftover objects were deleted

export interface ReconcileResult {
  outcome: ReconcileOutcome;
  /** The site's account, so events on account-level objects can find the site. */
  accountId?: string;
  requeueAfterMs?: number;
  /**
   * The account must be reconciled too: its namespace is someone else's, so no namespace event
   * will bring the account there to report it (informers only watch Sitepod's namespaces).
   */
  wakeAccount?: boolean;
}

/** Objects of one site in the informer caches, found by label. */
export function observedSiteObjects(observed: ObservedState, siteId: string): ObservedObject[] {
  return observed.labelled(SITE_LABEL, siteId);
}

/**
 * Made and removed by a Kubernetes controller, not by Sitepod (a Deployment's or a Job's pods):
 * never pruned or deleted directly, they go with their owner. Deleting a site still waits for them.
 */
export function isDependent(o: ObservedObject): boolean {
  return o.kind === "Pod" || (o.object.metadata?.ownerReferences ?? []).some((r) => r.controller === true);
}

/**
 * Writes phase, conditions and observedGeneration with a STATUS change-log row, in one
 * transaction, and only when something changed: a reconcile that finds nothing new writes nothing.
 */
export async function writeSiteStatus(
  ctx: ReconcileContext,
  site: Pick<SiteForReconcile, "id" | "accountId" | "phase" | "observedGeneration" | "conditions">,
  next: { phase: SitePhase; conditions: ConditionInput[] },
  observedGeneration: number,
): Promise<boolean> {
  const current: SiteStatus = {
    phase: site.phase,
    observedGeneration: site.observedGeneration,
    conditions: parseConditions(site.conditions),
  };
  const status: SiteStatus = {
    phase: next.phase,
    observedGeneration,
    conditions: mergeConditions(current.conditions, next.conditions, observedGeneration, ctx.now()),
  };
  if (!statusChanged(current, status)) return false;
  const written = await ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.site.updateMany({
      where: { id: site.id },
      data: { phase: status.phase, observedGeneration, conditions: status.conditions },
    });
    if (updated.count === 0) return false;
    const ready = status.conditions.find((c) => c.type === "Ready");
    await appendSiteStatus(tx, site, {
      phase: status.phase,
      observedGeneration,
      ready: ready?.status ?? "Unknown",
      reason: ready?.reason ?? "",
    });
    return true;
  });
  if (written) ctx.log.info("site status", { siteId: site.id, phase: status.phase, observedGeneration });
  return written;
}

async function knownAccounts(ctx: ReconcileContext, objects: ObservedObject[]): Promise<Set<string>> {
  const ids = [
    ...new Set(objects.map((o) => o.object.metadata?.labels?.[ACCOUNT_LABEL]).filter((v) => v !== undefined)),
  ];
  if (ids.length === 0) return new Set();
  const rows = await ctx.prisma.account.findMany({ where: { id: { in: ids } }, select: { id: true } });
  return new Set(rows.map((r) => r.id));
}

/**
 * The site row is gone: delete what is left of it in the cluster. Only objects of accounts this
 * database knows are touched, so two Sitepods (or a test run) sharing a cluster leave each other's
 * sites alone.
 */
async function pruneMissingSite(ctx: ReconcileContext, siteId: string): Promise<ReconcileResult> {
  const leftovers = observedSiteObjects(ctx.observed, siteId).filter(
    (o) => o.object.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && !isDependent(o),
  );
  if (leftovers.length === 0) return { outcome: "pruned" };
  const accounts = await knownAccounts(ctx, leftovers);
  const ours = leftovers.filter((o) => accounts.has(o.object.metadata?.labels?.[ACCOUNT_LABEL] ?? ""));
  for (const o of ours) {
    if (!isTerminating(o.object)) await deleteObject(ctx, refOf(o));
  }
  return { outcome: "pruned" };
}

/**
 * An install Job that succeeded (Complete, or its pod succeeded and the Job controller has yet to
 * say so): removed by Kubernetes after its ttlSecondsAfterFinished.
 */
function isSucceededInstallJob(o: ObservedObject, pods: V1Pod[]): boolean {
  if (o.kind !== "Job" || o.object.metadata?.labels?.[COMPONENT_LABEL] !== "install") return false;
  const job = o.object as V1Job;
  return installJobSucceeded(job, podsOfJob(job, pods));
}

/** The kinds a site's objects come in (apiVersion, kind), for listing them by label. */
export const SITE_OBJECT_KINDS = [
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "PersistentVolumeClaim"],
  ["apps/v1", "Deployment"],
  ["v1", "Service"],
  ["networking.k8s.io/v1", "Ingress"],
  ["gateway.networking.k8s.io/v1", "HTTPRoute"],
  ["batch/v1", "Job"],
  ["batch/v1", "CronJob"],
] as const;

/**
 * Every object of the site kinds (and `extraKinds`) matching `labelSelector`, live from the API
 * server. A kind the cluster does not serve (no Gateway API) has no objects.
 */
export async function listSiteKinds(
  writer: ClusterWriter,
  labelSelector: string,
  extraKinds: readonly (readonly [string, ManagedKind])[] = [],
): Promise<ObservedObject[]> {
  const lists = await Promise.all(
    [...SITE_OBJECT_KINDS, ...extraKinds].map(async ([apiVersion, kind]) => {
      try {
        return (await writer.list(apiVersion, kind, labelSelector)).map((object) => ({
          apiVersion,
          kind,
          object,
        }));
      } catch (err) {
        if (isKindNotServed(err)) return [];
        throw err;
      }
    }),
  );
  return lists.flat();
}

/** Confirms with the API server (not the caches, which may lag) that nothing of the site is left. */
async function liveSiteObjects(ctx: ReconcileContext, siteId: string): Promise<ObservedObject[]> {
  // Pods too: until they are gone they may still write to the database about to be dropped.
  return listSiteKinds(ctx.writer, `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${SITE_LABEL}=${siteId}`, [
    ["v1", "Pod"],
  ]);
}

/** cert-manager marks the Secrets it issues with the name of their Certificate. */
export const CERT_MANAGER_CERTIFICATE_ANNOTATION = "cert-manager.io/certificate-name";

/**
 * The Ingress's TLS Secret is created by cert-manager, not by Sitepod, so no ownerReference or
 * label removes it with the site. It is deleted by name, and only when cert-manager's annotation
 * shows that cert-manager made it (a Secret a user put there by hand stays).
 * Returns false while the Certificate that cert-manager's ingress-shim made for the site's Ingress
 * still exists: deleting the Secret before the garbage collector removes that Certificate would only
 * make cert-manager issue it again.
 */
async function deleteTlsSecret(ctx: ReconcileContext, site: SiteForReconcile): Promise<boolean> {
  const namespace = accountNamespace(site.account.slug);
  const name = `${siteObjectNames(site.name).ingress}-tls`;
  let certificate: KubernetesObject | undefined;
  try {
    certificate = await ctx.writer.read({
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name, namespace },
    });
  } catch (err) {
    // No cert-manager in the cluster: no Certificate either.
    if (!isKindNotServed(err)) throw err;
  }
  const ownedByIngress = (certificate?.metadata?.ownerReferences ?? []).some(
    (o) => o.kind === "Ingress" && o.name === siteObjectNames(site.name).ingress,
  );
  if (certificate && ownedByIngress) return false;

  const ref: ObjectRef = { apiVersion: "v1", kind: "Secret", metadata: { name, namespace } };
  const secret = await ctx.writer.read(ref);
  if (!secret || isTerminating(secret)) return true;
  if (secret.metadata?.annotations?.[CERT_MANAGER_CERTIFICATE_ANNOTATION] === undefined) {
    ctx.log.info("tls secret kept: not issued by cert-manager", { object: objectKey(ref) });
    return true;
  }
  await deleteObject(ctx, ref);
  return true;
}

/** Drops the site's database and user; a site whose secrets never opened never had them. */
async function dropDatabaseOf(ctx: ReconcileContext, site: SiteForReconcile): Promise<void> {
  let database: { name: string; user: string };
  try {
    database = ctx.defaults.openSecrets(site.secretsCiphertext).database;
  } catch (err) {
    ctx.log.warn("site database not dropped: secrets unreadable", {
      siteId: site.id,
      error: err instanceof Error ? err.message : String(err),
    });
    return;
  }
  checkAborted(ctx.signal);
  await dropSiteDatabase({ admin: ctx.siteDb, name: database.name, user: database.user });
  ctx.siteDbEnsured?.delete(site.id);
  ctx.log.info("site database dropped", { siteId: site.id, database: database.name });
}

async function finalizeDeletion(ctx: ReconcileContext, site: SiteForReconcile): Promise<ReconcileResult> {
  await writeSiteStatus(ctx, site, deletingStatus(), site.generation);
  const namespace = accountNamespace(site.account.slug);
  const rootName = siteObjectNames(site.name).root;
  const root = ctx.observed.get("ConfigMap", rootName, namespace);
  // Deleting the root lets the garbage collector remove every child through its ownerReference.
  if (root && !isTerminating(root)) {
    await deleteObject(ctx, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: rootName, namespace } });
  }
  let remaining = observedSiteObjects(ctx.observed, site.id);
  if (remaining.length === 0) remaining = await liveSiteObjects(ctx, site.id);
  if (remaining.length > 0) {
    for (const o of remaining) {
      const isRoot = o.kind === "ConfigMap" && o.object.metadata?.name === rootName;
      // Children without an owner (none should exist) would never be collected: delete them directly.
      const unowned = (o.object.metadata?.ownerReferences ?? []).length === 0;
      if ((isRoot || unowned) && !isTerminating(o.object)) await deleteObject(ctx, refOf(o));
    }
    // Informer delete events wake the site again; the requeue only guards against a missed one.
    return { outcome: "deleting", accountId: site.accountId, requeueAfterMs: 5_000 };
  }
  // The Secret is deleted by name: never in a namespace that is not the account's.
  const ownership = await namespaceOwnership(ctx, { id: site.accountId, slug: site.account.slug });
  if (ownership.owner === "this-account" && !(await deleteTlsSecret(ctx, site))) {
    return { outcome: "deleting", accountId: site.accountId, requeueAfterMs: 2_000 };
  }
  // Only now: until the pods are gone they may still write to the database.
  await dropDatabaseOf(ctx, site);
  checkAborted(ctx.signal);
  await ctx.prisma.$transaction(async (tx) => {
    await tx.domain.deleteMany({ where: { siteId: site.id } });
    const deleted = await tx.site.deleteMany({ where: { id: site.id } });
    if (deleted.count === 0) return;
    await appendChange(tx, {
      kind: "Site",
      objectId: site.id,
      accountId: site.accountId,
      action: "DELETED",
      data: { name: site.name },
    });
  });
  ctx.log.info("site deleted", { siteId: site.id, accountId: site.accountId });
  return { outcome: "deleted", accountId: site.accountId };
}

/** What a site's pods read: applied before the objects that start or route to them. */
const POD_INPUTS = new Set(["Secret", "ConfigMap", "PersistentVolumeClaim"]);

/** The site's children in the order they can be applied: pod inputs first, then the rest. */
export function applyWaves<T extends { kind: string }>(children: T[]): T[][] {
  const inputs = children.filter((c) => POD_INPUTS.has(c.kind));
  const rest = children.filter((c) => !POD_INPUTS.has(c.kind));
  return [inputs, rest].filter((wave) => wave.length > 0);
}

/**
 * Makes the site's database and user unless this process already did for these credentials since
 * the last resync. The promise is started before the site's objects are applied and awaited before
 * its pods are: it never rejects unhandled while the applies run, and its error (the server being
 * unreachable, say) is the pass's error where it is awaited.
 */
function ensureDatabaseOnce(
  ctx: ReconcileContext,
  siteId: string,
  database: Omit<EnsureSiteDatabaseOptions, "admin">,
): Promise<void> {
  const key = contentHash(database);
  if (ctx.siteDbEnsured?.get(siteId) === key) return Promise.resolve();
  const made = ensureSiteDatabase({ admin: ctx.siteDb, ...database }).then(() => {
    ctx.siteDbEnsured?.set(siteId, key);
  });
  made.catch(() => undefined);
  return made;
}

/** Waits for `promise` to settle, whatever its outcome: a pass ends with nothing in flight. */
async function settle(promise: Promise<unknown>): Promise<void> {
  await promise.then(
    () => undefined,
    () => undefined,
  );
}

/** Rechecks land this much after the moment they wait for, so that moment has surely passed. */
const RECHECK_SLACK_MS = 1_000;

/**
 * One level-based pass over one site: read the spec from MySQL and the objects from the informer
 * caches, apply what differs, prune what is no longer wanted, and record the status.
 * Throws on transient errors (the caller retries with backoff).
 */
export async function reconcileSite(ctx: ReconcileContext, siteId: string): Promise<ReconcileResult> {
  return reconcileSiteOnce(ctx, siteId, true);
}

/**
 * `again`: when the pass records a step of the install (done, or to be retried), it goes on with
 * a fresh read in the same pass instead of queueing another one behind every other site: the
 * installed site's pods start without waiting for the queue to come round.
 */
async function reconcileSiteOnce(
  ctx: ReconcileContext,
  siteId: string,
  again: boolean,
): Promise<ReconcileResult> {
  const site = await loadSiteForReconcile(ctx.prisma, siteId);
  if (!site) return pruneMissingSite(ctx, siteId);
  // A terminating account's sites are deleted the way a deleted site is; the account reconciler
  // waits for them before it removes the namespace.
  if (site.deletionRequestedAt || site.account.terminationRequestedAt) return finalizeDeletion(ctx, site);

  let spec: ReturnType<typeof toManifestSpec>;
  try {
    spec = toManifestSpec(
      site,
      ctx.defaults,
      await sharedRead(ctx, "catalog", () => loadRuntimeCatalog(ctx.prisma)),
      {
        rollout: await loadRollout(ctx, site),
      },
    );
  } catch (err) {
    if (!(err instanceof InvalidSpecError)) throw err;
    await writeSiteStatus(ctx, site, invalidSpecStatus(err.message), site.generation);
    return { outcome: "invalid", accountId: site.accountId };
  }

  try {
    const ownership = await namespaceOwnership(ctx, { id: site.accountId, slug: site.account.slug });
    if (ownership.owner === "someone-else") {
      await writeSiteStatus(ctx, site, namespaceOwnedElsewhereStatus(ownership.message), site.generation);
      return { outcome: "waiting", accountId: site.accountId, requeueAfterMs: 60_000, wakeAccount: true };
    }
    // The namespace, its ServiceAccount and its NetworkPolicies are the account reconciler's: a
    // site's pods never start before the policies that isolate them exist. Their informer events
    // wake the site again (SITE_PREREQUISITES in reconciler.ts); the requeue is a fallback.
    const prerequisites = buildAccountObjects(
      { accountId: site.accountId, accountSlug: site.account.slug },
      // Only the objects' names matter here; the account reconciler renders their content.
      { gatewayPods: ctx.settings.gatewayPods, databaseHost: ctx.defaults.databaseHost },
    );
    const missing = prerequisites.filter((obj) => {
      const observed = ctx.observed.get(obj.kind, obj.metadata.name, obj.metadata.namespace);
      return !observed || isTerminating(observed);
    });
    if (missing.length > 0) {
      ctx.log.debug("waiting for the account's namespace objects", {
        missing: missing.map((o) => objectKey(o)),
      });
      return { outcome: "waiting", accountId: site.accountId, requeueAfterMs: 5_000, wakeAccount: true };
    }
    // Once per resync period and whenever the credentials change, not on every pass: the
    // statements are idempotent but touch the server's privilege tables, and a site converging
    // makes several passes. The periodic resync forgets what was done, so a database dropped or a
    // password changed by hand converges like any Kubernetes object does.
    checkAborted(ctx.signal);
    const databaseReady = ensureDatabaseOnce(ctx, site.id, spec.database);
    const rootObj = buildSiteRoot(spec);
    let root: Ensured;
    try {
      root = await ensure(ctx, rootObj);
    } catch (err) {
      await settle(databaseReady);
      throw err;
    }
    const rootUid = root.object.metadata?.uid;
    if (root.terminating || !rootUid) {
      await databaseReady;
      return { outcome: "waiting", accountId: site.accountId, requeueAfterMs: 2_000 };
    }

    const children = buildSiteChildren(spec, ctx.settings, { uid: rootUid });
    const results = new Map<string, Ensured>();
    let resizeRefused: string | undefined;
    // Without the Gateway API the HTTPRoute cannot exist; everything else still converges.
    let gatewayApiMissing = ctx.settings.routing === "gateway" && !ctx.observed.served("HTTPRoute");
    // Two waves, each applied concurrently: what the pods read (Secrets, ConfigMaps, the volume),
    // then what runs and routes. Within a wave nothing depends on anything else, and a site's
    // first pass waits for two round trips to the API server instead of one per object. The
    // site's database is made meanwhile: only the pods (the last wave) need it.
    const waves = applyWaves(children);
    for (const [index, wave] of waves.entries()) {
      if (index === waves.length - 1) await databaseReady;
      const outcomes = await Promise.allSettled(
        wave.map((child) =>
          child.kind === "HTTPRoute" && gatewayApiMissing ? Promise.resolve(undefined) : ensure(ctx, child),
        ),
      );
      let firstError: unknown;
      wave.forEach((child, i) => {
        const outcome = outcomes[i];
        if (!outcome) return;
        if (outcome.status === "fulfilled") {
          if (outcome.value) results.set(objectKey(child), outcome.value);
          return;
        }
        const err: unknown = outcome.reason;
        if (child.kind === "PersistentVolumeClaim" && apiStatusCode(err) === 422) {
          // A resize the storage class refuses: the rest of the site still converges on the old volume.
          resizeRefused = apiErrorMessage(err);
          const current = ctx.observed.get(
            "PersistentVolumeClaim",
            child.metadata.name,
            child.metadata.namespace,
          );
          if (current) results.set(objectKey(child), { object: current, terminating: false });
          return;
        }
        if (child.kind === "HTTPRoute" && isKindNotServed(err)) {
          gatewayApiMissing = true;
          return;
        }
        firstError ??= err;
      });
      if (firstError !== undefined) {
        await settle(databaseReady);
        throw firstError;
      }
    }
    await databaseReady;
    // What was changed or deleted behind Sitepod's back, and has just been put back: the timeline.
    // Not in the go-on pass after an install step was recorded (`again` false): what it creates
    // (the wp-cron CronJob, a retry's Job) is new to the render, even on a site that had settled
    // as Degraded.
    const hadConverged =
      again &&
      site.observedGeneration === site.generation &&
      (site.phase === "RUNNING" || site.phase === "DEGRADED");
    await recordSiteEvents(
      ctx,
      site,
      corrections(
        [
          { obj: rootObj, ensured: root },
          ...children.flatMap((obj) => {
            const ensured = results.get(objectKey(obj));
            return ensured ? [{ obj, ensured }] : [];
          }),
        ],
        hadConverged,
      ),
    );

    // Prune objects of this site that the spec no longer wants (e.g. the Ingress after a switch to
    // the Gateway API).
    const wanted = new Set(
      [rootObj, ...children].map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`),
    );
    const observedObjects = observedSiteObjects(ctx.observed, site.id);
    const pods = observedObjects.filter((o) => o.kind === "Pod").map((o) => o.object as V1Pod);
    for (const o of observedObjects) {
      const key = `${o.kind} ${o.object.metadata?.namespace}/${o.object.metadata?.name}`;
      // The site's cron jobs are their own reconciler's (./reconcile-cron-job.ts).
      if (o.object.metadata?.labels?.[CRON_JOB_LABEL]) continue;
      // A succeeded install Job goes by its TTL (install-job.ts).
      if (isSucceededInstallJob(o, pods)) continue;
      if (!wanted.has(key) && !isDependent(o) && !isTerminating(o.object)) await deleteObject(ctx, refOf(o));
    }

    const now = ctx.now();
    const applied = (kind: string) => {
      const obj = children.find((c) => c.kind === kind);
      return obj ? results.get(objectKey(obj))?.object : undefined;
    };
    let install: InstallState | undefined;
    let retryInstallInMs: number | undefined;
    if (spec.wordpress && wantsInstall(spec)) {
      const { generation } = spec.wordpress;
      install = installJobState(applied("Job") as V1Job | undefined, pods, INSTALL_CONTAINER, now);
      if (install.state === "succeeded") {
        checkAborted(ctx.signal);
        await recordInstalled(ctx, site, generation);
        // The installed site renders differently: its pods, its cron, no install objects.
        if (again) return reconcileSiteOnce(ctx, siteId, false);
        return { outcome: "progressing", accountId: site.accountId, requeueAfterMs: 0 };
      }
      if (install.state === "failed") {
        const retryAt = (install.failedAt ?? now.getTime()) + installRetryDelayMs(generation);
        if (now.getTime() >= retryAt) {
          checkAborted(ctx.signal);
          await retryInstall(ctx, site, generation);
          if (again) return reconcileSiteOnce(ctx, siteId, false);
          return { outcome: "progressing", accountId: site.accountId, requeueAfterMs: 0 };
        }
        retryInstallInMs = retryAt - now.getTime();
      }
    }

    const deployment = applied("Deployment") as V1Deployment | undefined;
    const deploymentObj = children.find((c) => c.kind === "Deployment");
    const route = ctx.observed.get(
      "HTTPRoute",
      siteObjectNames(spec.name).route,
      accountNamespace(spec.accountSlug),
    );
    let status: ObservedStatus = gatewayApiMissing
      ? gatewayApiMissingStatus()
      : spec.suspended
        ? suspendedStatus(site.account.suspendedReason ?? "", deployment?.status?.replicas ?? 0)
        : observeSiteStatus({
            deployment,
            wantedDeploymentHash: specHashOf(deploymentObj) ?? "",
            pvc: applied("PersistentVolumeClaim") as V1PersistentVolumeClaim | undefined,
            pods: pods.filter((p) => p.metadata?.labels?.[COMPONENT_LABEL] === "web"),
            ...(install ? { install } : {}),
            now,
          });
    const installJob = applied("Job") as V1Job | undefined;
    const podCheckInMs = installJob ? installPodCheckInMs(installJob, now) : 0;
    const podless =
      install?.state === "running" &&
      !status.fault &&
      installJob?.metadata?.name &&
      !(installJob.status?.active ?? 0);
    // A Job that has had no pod for a while: look for why (no event would say so otherwise).
    const podCheckAfterMs = podless && podCheckInMs > 0 ? podCheckInMs : undefined;
    if (podless && podCheckInMs === 0 && installJob?.metadata?.name && ctx.logs.podCreationFailure) {
      const refused = await ctx.logs.podCreationFailure(
        installJob.metadata.namespace ?? accountNamespace(spec.accountSlug),
        "Job",
        installJob.metadata.name,
      );
      if (refused) status = installPodRefusedStatus(refused);
    }
    if (status.fault) {
      const logs =
        storedEvidence(parseConditions(site.conditions), status.fault) ??
        (await collectEvidence(ctx, spec, status.fault));
      checkAborted(ctx.signal);
      status = withEvidence(status, logs);
    } else if (!gatewayApiMissing && !spec.suspended && ctx.settings.routing === "gateway") {
      status = { ...status, ...withRouteRejection(status, routeRejection(route, ctx.settings.gateway)) };
    }
    if (resizeRefused) status = withStorageResizeRefused(status, spec.storageSize, resizeRefused);
    // The redirect and HTTPS routes: a Gateway that refuses one (an implementation without
    // parentRef port, say) leaves the site serving, so it is a limitation, not a fault.
    const extraRouteRejections =
      ctx.settings.routing === "gateway" && !gatewayApiMissing
        ? children
            .filter((c) => c.kind === "HTTPRoute" && c.metadata.name !== siteObjectNames(spec.name).route)
            .map((c) =>
              routeRejection(
                ctx.observed.get("HTTPRoute", c.metadata.name, c.metadata.namespace),
                ctx.settings.gateway,
                `the site's HTTPRoute ${c.metadata.name}`,
              ),
            )
            .filter((message) => message !== undefined)
        : [];
    status = {
      ...status,
      ...withRoutingLimitations(status, [...routingLimitations(spec, ctx.settings), ...extraRouteRejections]),
    };
    const anyTerminating = [...results.values()].some((r) => r.terminating);
    checkAborted(ctx.signal);
    await writeSiteStatus(ctx, site, status, site.generation);
    checkAborted(ctx.signal);
    const tls = await observeDomainTls(ctx, site);
    // A certificate issued (or lost) changes where HTTPS is forced: render the routes again now.
    if (tls.httpsChanged) return { outcome: "progressing", accountId: site.accountId, requeueAfterMs: 0 };
    if (anyTerminating) return { outcome: "waiting", accountId: site.accountId, requeueAfterMs: 2_000 };
    // Installing the CRDs brings no event for this site: look again in a while.
    if (gatewayApiMissing) return { outcome: "waiting", accountId: site.accountId, requeueAfterMs: 60_000 };
    const settled = status.phase === "RUNNING" || (status.phase === "SUSPENDED" && !isProgressing(status));
    // Time alone turns a slow pod into a fault, or a failed install into a retry: no event will come.
    const recheck = [status.recheckAfterMs, retryInstallInMs, podCheckAfterMs, tls.recheckAfterMs].filter(
      (ms) => ms !== undefined,
    );
    return {
      outcome: settled ? "synced" : "progressing",
      accountId: site.accountId,
      ...(recheck.length > 0 ? { requeueAfterMs: Math.min(...recheck) + RECHECK_SLACK_MS } : {}),
    };
  } catch (err) {
    if (err instanceof ReconcileAborted) throw err;
    const failed =
      err instanceof SiteDatabaseUnavailableError
        ? databaseUnavailableStatus()
        : applyFailedStatus(apiErrorMessage(err).slice(0, 500));
    // Best effort: the error is what matters, a failing status write must not hide it.
    await writeSiteStatus(ctx, site, failed, site.observedGeneration).catch((writeErr: unknown) =>
      ctx.log.warn("status write failed", { siteId, err: writeErr }),
    );
    throw err;
  }
}
