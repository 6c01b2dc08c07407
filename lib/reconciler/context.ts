/**
 * What every kind's reconciler shares: the context a pass runs in (database, informer caches,
 * cluster writer, settings, logs, the stop signal) and the few steps every kind takes on
 * Kubernetes objects (apply unless unchanged, delete, stop at a safe point).
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterWriter, ObjectRef } from "@/lib/k8s/apply";
import type { ObservedObject, ObservedState } from "@/lib/k8s/informers";
import { type DriftedField, describeDrift, driftOf } from "@/lib/k8s/drift";
import { specHashOf } from "@/lib/k8s/manifests/hash";
import { objectKey, type RenderedObject } from "@/lib/k8s/manifests/objects";
import type { ClusterSettings } from "@/lib/k8s/manifests/types";
import type { PodLogReader } from "@/lib/k8s/pod-logs";
import type { Logger } from "@/lib/log";
import type { SiteDbAdmin } from "@/lib/site-db/admin";
import type { SiteDefaults } from "./site-spec";

export interface ReconcileHooks {
  /** After each successful server-side apply (tests count them, or stop the reconciler mid-way). */
  onApply?: (obj: RenderedObject) => void | Promise<void>;
  /** After each delete call the reconciler makes. */
  onDelete?: (ref: ObjectRef) => void;
}

export interface ReconcileContext {
  prisma: PrismaClient;
  observed: ObservedState;
  writer: ClusterWriter;
  settings: ClusterSettings;
  defaults: SiteDefaults;
  /** Admin connection to the server that hosts the sites' databases. */
  siteDb: SiteDbAdmin;
  /** Reads the end of a failing container's log, once, when its fault appears. */
  logs: PodLogReader;
  log: Logger;
  hooks: ReconcileHooks;
  /** Aborted when the reconciler stops: the item ends at the next safe point. */
  signal: AbortSignal;
  now: () => Date;
  /**
   * `<object> <spec hash>` of objects whose fields the server keeps in a form the drift check
   * reads as different (kept by the reconciler across passes; see ensure).
   */
  acceptedDrift?: Set<string>;
  /**
   * Site id -> hash of the database credentials last ensured on the server in this process;
   * cleared by every resync.
   */
  siteDbEnsured?: Map<string, string>;
  /**
   * Reads several passes share for a moment (the runtime catalog, an account's plan room), kept
   * by the reconciler across passes; cleared by every resync.
   */
  shared?: SharedReads;
}

/** A read shared by the passes of the next `ttlMs`, so a burst of passes reads it once. */
export class SharedReads {
  private readonly entries = new Map<string, { until: number; value: Promise<unknown> }>();

  constructor(private readonly now: () => number = Date.now) {}

  get<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value as Promise<T>;
    const value = load();
    this.entries.set(key, { until: this.now() + ttlMs, value });
    // A failed read is not shared: the next pass reads again.
    value.catch(() => this.entries.delete(key));
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** How long a burst of passes shares a read of data that changes rarely. */
export const SHARED_READ_MS = 2_000;

/** Through ctx.shared when the reconciler keeps one, else read directly. */
export function sharedRead<T>(
  ctx: Pick<ReconcileContext, "shared">,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  return ctx.shared ? ctx.shared.get(key, SHARED_READ_MS, load) : load();
}

export class ReconcileAborted extends Error {
  override name = "ReconcileAborted";
}

export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new ReconcileAborted("reconciler stopping");
}

export function isTerminating(obj: KubernetesObject | undefined): boolean {
  return Boolean(obj?.metadata?.deletionTimestamp);
}

export function refOf(o: ObservedObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    metadata: { name: o.object.metadata?.name ?? "", namespace: o.object.metadata?.namespace },
  };
}

export interface Ensured {
  object: KubernetesObject;
  terminating: boolean;
  /** The object did not exist and was created by this apply. */
  created?: boolean;
  /** Fields found changed behind Sitepod's back, and put back by this apply. */
  drift?: DriftedField[];
}

/**
 * Applies the object unless the informer cache already holds it as Sitepod renders it: the same
 * spec hash and no drift in the fields Sitepod renders (lib/k8s/drift.ts). In steady state a
 * reconcile makes no API call at all; a hand edit is undone by the next pass.
 */
export async function ensure(ctx: ReconcileContext, obj: RenderedObject): Promise<Ensured> {
  const observed = ctx.observed.get(obj.kind, obj.metadata.name, obj.metadata.namespace);
  if (observed && isTerminating(observed)) return { object: observed, terminating: true };
  // A Job's pod template cannot change: the one made for this name stands (a new attempt is a new name).
  if (observed && obj.kind === "Job") return { object: observed, terminating: false };
  let drift: DriftedField[] | undefined;
  if (observed && specHashOf(observed) === specHashOf(obj)) {
    const found = driftOf(obj, observed);
    const key = `${objectKey(obj)} ${specHashOf(obj)}`;
    if (found.length === 0 || ctx.acceptedDrift?.has(key)) return { object: observed, terminating: false };
    drift = found;
  }
  checkAborted(ctx.signal);
  const applied = await ctx.writer.apply(obj);
  ctx.log.info("applied", {
    object: objectKey(obj),
    created: !observed,
    ...(drift ? { drift: describeDrift(drift) } : {}),
  });
  await ctx.hooks.onApply?.(obj);
  if (drift) {
    const left = driftOf(obj, applied);
    if (left.length > 0) {
      // The server keeps these fields in a form the comparison does not know: not drift, and
      // re-applying every pass would never end. Remembered until the object's spec changes.
      ctx.acceptedDrift?.add(`${objectKey(obj)} ${specHashOf(obj)}`);
      ctx.log.warn("fields differ after apply; not treated as drift", {
        object: objectKey(obj),
        fields: describeDrift(left),
      });
      const restored = drift.filter((d) => !left.some((l) => l.path === d.path));
      return { object: applied, terminating: false, ...(restored.length > 0 ? { drift: restored } : {}) };
    }
  }
  return { object: applied, terminating: false, created: !observed, ...(drift ? { drift } : {}) };
}

export async function deleteObject(ctx: ReconcileContext, ref: ObjectRef): Promise<void> {
  checkAborted(ctx.signal);
  const existed = await ctx.writer.delete(ref, "Background");
  ctx.log.info("deleted", { object: objectKey(ref), existed });
  ctx.hooks.onDelete?.(ref);
}
