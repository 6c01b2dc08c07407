import type { V1Namespace, V1ServiceAccount } from "@kubernetes/client-node";
import { withSpecHash } from "./hash";
import { accountLabels, accountNamespace, SITE_SERVICE_ACCOUNT } from "./labels";
import { buildNetworkPolicies, type NetworkSettings } from "./network-policy";
import type { RenderedObject } from "./objects";

export interface AccountManifestSpec {
  accountId: string;
  accountSlug: string;
}

/**
 * The tenant namespace. Pod Security `restricted` is enforced, not only audited: a site's pods
 * must never be able to escalate, whatever a later image or setting asks for.
 */
export function buildNamespace(spec: AccountManifestSpec): RenderedObject {
  const ns = {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name: accountNamespace(spec.accountSlug),
      labels: {
        ...accountLabels(spec.accountId),
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "latest",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      },
      annotations: {},
    },
  } satisfies V1Namespace & RenderedObject;
  return withSpecHash(ns);
}

/**
 * Sites run under their own ServiceAccount: some clusters (kwok among them) create no `default`
 * one in new namespaces, and site pods need no API access, so no token is mounted.
 */
export function buildServiceAccount(spec: AccountManifestSpec): RenderedObject {
  const sa = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: {
      name: SITE_SERVICE_ACCOUNT,
      namespace: accountNamespace(spec.accountSlug),
      labels: accountLabels(spec.accountId),
      annotations: {},
    },
    automountServiceAccountToken: false,
  } satisfies V1ServiceAccount & RenderedObject;
  return withSpecHash(sa);
}

/** The namespace first: everything else lives in it. */
export function buildAccountObjects(spec: AccountManifestSpec, network: NetworkSettings): RenderedObject[] {
  return [buildNamespace(spec), buildServiceAccount(spec), ...buildNetworkPolicies(spec, network)];
}
