/**
 * Discovery, as kube-apiserver serves it: the legacy documents (/api, /apis, the group and the
 * group-version's APIResourceList) and aggregated discovery v2 (apidiscovery.k8s.io/v2,
 * APIGroupDiscoveryList), which kubectl and client-go ask for first. /version says which
 * Kubernetes API conventions this server follows.
 */
import { createHash } from "node:crypto";
import type { AnyResource } from "./resources/resource";
import { API_VERSION, GROUP, VERSION } from "./types";

export const VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"] as const;

export const AGGREGATED_DISCOVERY_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

/** kube-apiserver's storageVersionHash: the first 8 bytes of sha256("<group>/<version>/<kind>"), base64. */
export function storageVersionHash(kind: string): string {
  return createHash("sha256")
    .update(`${GROUP}/${VERSION}/${kind}`)
    .digest()
    .subarray(0, 8)
    .toString("base64");
}

export function apiVersions() {
  return { kind: "APIVersions", versions: [], serverAddressByClientCIDRs: [] };
}

/** /api as aggregated discovery: Sitepod serves no core group. */
export function legacyAggregated() {
  return { kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {}, items: [] };
}

function groupVersionFor() {
  return { groupVersion: API_VERSION, version: VERSION };
}

export function apiGroup() {
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: GROUP,
    versions: [groupVersionFor()],
    preferredVersion: groupVersionFor(),
  };
}

export function apiGroupList() {
  const { kind: _kind, apiVersion: _apiVersion, ...group } = apiGroup();
  return { kind: "APIGroupList", apiVersion: "v1", groups: [group] };
}

export function apiResourceList(resources: readonly AnyResource[]) {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: API_VERSION,
    resources: resources.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: [...VERBS],
      shortNames: r.shortNames,
      categories: r.categories,
      storageVersionHash: storageVersionHash(r.kind),
    })),
  };
}

export function aggregatedDiscovery(resources: readonly AnyResource[]) {
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: "apidiscovery.k8s.io/v2",
    metadata: {},
    items: [
      {
        metadata: { name: GROUP },
        versions: [
          {
            version: VERSION,
            resources: resources.map((r) => ({
              resource: r.plural,
              responseKind: { group: GROUP, version: VERSION, kind: r.kind },
              scope: r.namespaced ? "Namespaced" : "Cluster",
              singularResource: r.singular,
              verbs: [...VERBS],
              shortNames: r.shortNames,
              categories: r.categories,
            })),
            freshness: "Current",
          },
        ],
      },
    ],
  };
}

/** The Kubernetes release whose API conventions this server follows (clients check the skew). */
export const KUBERNETES_API_VERSION = { major: "1", minor: "36" } as const;

export function versionInfo(sitepodVersion: string) {
  return {
    major: KUBERNETES_API_VERSION.major,
    minor: KUBERNETES_API_VERSION.minor,
    gitVersion: `v${KUBERNETES_API_VERSION.major}.${KUBERNETES_API_VERSION.minor}.0-sitepod.${sitepodVersion}`,
    gitCommit: "",
    gitTreeState: "",
    buildDate: "",
    goVersion: "",
    compiler: "node",
    platform: `${process.platform}/${process.arch}`,
  };
}
