/**
 * What every kind's reconciler shares: the context a pass runs in (database, informer caches,
 * cluster writer, settings, logs, the stop signal) and the few steps every kind takes on
 * Kubernetes objects (apply unless unchanged, delete, stop at a safe point).
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClusterWriter, ObjectRef } from "@/lib/k8s/apply";
import type { ObservedObject, ObservedState } from "@/lib/k8s/informers";
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
}

/**
 * Applies the object unless the informer cache already holds it with the same spec hash: in steady
 * state a reconcile makes no API call at all.
 */
export async function ensure(ctx: ReconcileContext, obj: RenderedObject): Promise<Ensured> {
  const observed = ctx.observed.get(obj.kind, obj.metadata.name, obj.metadata.namespace);
  if (observed && isTerminating(observed)) return { object: observed, terminating: true };
  if (observed && specHashOf(observed) === specHashOf(obj)) return { object: observed, terminating: false };
  // A Job's pod template cannot change: the one made for this name stands (a new attempt is a new name).
  if (observed && obj.kind === "Job") return { object: observed, terminating: false };
  checkAborted(ctx.signal);
  const applied = await ctx.writer.apply(obj);
  ctx.log.info("applied", { object: objectKey(obj), created: !observed });
  await ctx.hooks.onApply?.(obj);
  return { object: applied, terminating: false };
}

export async function deleteObject(ctx: ReconcileContext, ref: ObjectRef): Promise<void> {
  checkAborted(ctx.signal);
  const existed = await ctx.writer.delete(ref, "Background");
  ctx.log.info("deleted", { object: objectKey(ref), existed });
  ctx.hooks.onDelete?.(ref);
}
