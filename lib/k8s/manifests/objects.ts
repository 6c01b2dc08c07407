import type { V1OwnerReference } from "@kubernetes/client-node";

/** The kinds Sitepod renders and watches. */
export type ManagedKind =
  | "Namespace"
  | "ServiceAccount"
  | "ConfigMap"
  | "Secret"
  | "PersistentVolumeClaim"
  | "Deployment"
  | "Job"
  | "CronJob"
  | "Pod"
  | "Service"
  | "Ingress"
  | "HTTPRoute"
  | "NetworkPolicy"
  | "ResourceQuota"
  | "LimitRange";

export interface RenderedMetadata {
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences?: V1OwnerReference[];
}

/** A fully rendered object, ready for server-side apply; the body fields depend on the kind. */
export interface RenderedObject {
  apiVersion: string;
  kind: ManagedKind;
  metadata: RenderedMetadata;
  [field: string]: unknown;
}

/** "Kind namespace/name": one key for an object across kinds, used in logs and caches. */
export function objectKey(obj: { kind?: string; metadata?: { name?: string; namespace?: string } }): string {
  const ns = obj.metadata?.namespace;
  return `${obj.kind ?? "?"} ${ns ? `${ns}/` : ""}${obj.metadata?.name ?? "?"}`;
}
