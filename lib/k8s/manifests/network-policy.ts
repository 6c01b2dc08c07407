import { isIP } from "node:net";
import type { V1NetworkPolicy, V1NetworkPolicyPeer, V1NetworkPolicySpec } from "@kubernetes/client-node";
import type { AccountManifestSpec } from "./account";
import { withSpecHash } from "./hash";
import { accountLabels, accountNamespace, NAME_LABEL } from "./labels";
import type { RenderedObject } from "./objects";
import type { GatewayPods } from "./types";

/** Cluster-wide facts the tenant's network policies depend on. */
export interface NetworkSettings {
  /** The Gateway's (or ingress controller's) pods: the only source of traffic to site pods. */
  gatewayPods: GatewayPods;
  /** host:port (or host, port 3306; IPv6 as [addr]:port) of the database server sites use. */
  databaseHost: string;
  /**
   * host:port where site pods reach the registered database servers (databases given to sites,
   * lib/reconciler/database-endpoints.ts); allowed like databaseHost. Unset: none.
   */
  databaseServers?: readonly string[];
}

export interface DatabaseEndpoint {
  host: string;
  port: number;
  /** 4 or 6 when host is an IP address, 0 for a DNS name. */
  ipVersion: 0 | 4 | 6;
}

const MYSQL_PORT = 3306;

/** Parses SITEPOD_SITE_DB_HOST; throws on a port that is not a TCP port. */
export function parseDatabaseEndpoint(value: string): DatabaseEndpoint {
  const text = value.trim();
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
  } else if (text.split(":").length === 2) {
    [host = "", portText] = text.split(":");
  }
  const port = portText === undefined ? MYSQL_PORT : Number(portText);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Invalid database host "${value}" (expected host:port)`);
  }
  const version = isIP(host);
  return { host, port, ipVersion: version === 4 || version === 6 ? version : 0 };
}

/**
 * The gateway pods as a policy peer: pods matching the selector in that one namespace (both
 * selectors in one peer, so they must both match).
 */
export function gatewayPeer(pods: GatewayPods): V1NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": pods.namespace } },
    podSelector: { matchLabels: { ...pods.selector } },
  };
}

/** Site pods carry this label whatever their component (web today, jobs later). */
const SITE_PODS = { matchLabels: { [NAME_LABEL]: "sitepod-site" } };

function policy(spec: AccountManifestSpec, name: string, body: V1NetworkPolicySpec): RenderedObject {
  const np = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: {
      name,
      namespace: accountNamespace(spec.accountSlug),
      labels: accountLabels(spec.accountId),
      annotations: {},
    },
    spec: body,
  } satisfies V1NetworkPolicy & RenderedObject;
  return withSpecHash(np);
}

/**
 * The tenant's isolation on the network: everything is denied, then the gateway's pods may
 * reach site pods and site pods may resolve names and reach their database server. Nothing else,
 * so a compromised site can reach neither other tenants nor the cluster's internals.
 */
/** An egress rule to one database endpoint. */
function databaseEgress(endpoint: string) {
  const db = parseDatabaseEndpoint(endpoint);
  const dbPeer =
    db.ipVersion === 0
      ? // A DNS name may resolve to any address, and policies match addresses only: allow the port.
        {}
      : { to: [{ ipBlock: { cidr: `${db.host}/${db.ipVersion === 4 ? 32 : 128}` } }] };
  return { ...dbPeer, ports: [{ protocol: "TCP", port: db.port }] };
}

export function buildNetworkPolicies(spec: AccountManifestSpec, network: NetworkSettings): RenderedObject[] {
  // The sites' own database server first, then the registered servers (databases given to sites).
  const endpoints = [...new Set([network.databaseHost, ...[...(network.databaseServers ?? [])].sort()])];
  return [
    policy(spec, "sitepod-default-deny", {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    }),
    policy(spec, "sitepod-allow-gateway", {
      podSelector: SITE_PODS,
      policyTypes: ["Ingress"],
      ingress: [{ _from: [gatewayPeer(network.gatewayPods)] }],
    }),
    policy(spec, "sitepod-allow-dns", {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    }),
    policy(spec, "sitepod-allow-site-database", {
      podSelector: SITE_PODS,
      policyTypes: ["Egress"],
      egress: endpoints.map(databaseEgress),
    }),
  ];
}
