import {
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import { isNotFound } from "./errors";
import { FIELD_MANAGER } from "./manifests/labels";
import type { RenderedObject } from "./manifests/objects";

export type PropagationPolicy = "Foreground" | "Background";

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** The writes the reconciler makes; an interface so tests can count or fail them. */
export interface ClusterWriter {
  /** Server-side apply with Sitepod's field manager, taking over conflicting fields. */
  apply(obj: RenderedObject): Promise<KubernetesObject>;
  /** Deletes; false when the object was already gone. */
  delete(ref: ObjectRef, propagationPolicy?: PropagationPolicy): Promise<boolean>;
  /** Live read of one object; undefined when it does not exist. */
  read(ref: ObjectRef): Promise<KubernetesObject | undefined>;
  /** Live list by label selector across all namespaces (used only to confirm a site is gone). */
  list(apiVersion: string, kind: string, labelSelector: string): Promise<KubernetesObject[]>;
  /**
   * Live list of every object of a kind in one namespace (cert-manager's objects, which carry no
   * Sitepod label). Optional: writers without it (test fakes) skip what needs it.
   */
  listNamespaced?(apiVersion: string, kind: string, namespace: string): Promise<KubernetesObject[]>;
}

export function createClusterWriter(kc: KubeConfig): ClusterWriter {
  const api = KubernetesObjectApi.makeApiClient(kc);
  return {
    async apply(obj) {
      // force: Sitepod owns these objects; a hand edit of a field it manages is drift to undo.
      return api.patch(obj, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    },
    async delete(ref, propagationPolicy = "Background") {
      try {
        await api.delete(ref, undefined, undefined, undefined, undefined, propagationPolicy);
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async read(ref) {
      try {
        return await api.read(ref);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    async list(apiVersion, kind, labelSelector) {
      const result = await api.list(
        apiVersion,
        kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      return result.items;
    },
    async listNamespaced(apiVersion, kind, namespace) {
      return (await api.list(apiVersion, kind, namespace)).items;
    },
  };
}
