import { describe, expect, it } from "vitest";
import { ACCOUNT_LABEL, MANAGED_BY_LABEL, SPEC_HASH_ANNOTATION } from "./labels";
import { buildNetworkPolicies, parseDatabaseEndpoint } from "./network-policy";
import type { RenderedObject } from "./objects";

const account = { accountId: "acct456", accountSlug: "acme" };

function byName(objects: RenderedObject[], name: string): RenderedObject & { spec: unknown } {
  const found = objects.find((o) => o.metadata.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found as RenderedObject & { spec: unknown };
}

describe("parseDatabaseEndpoint", () => {
  it.each([
    ["10.0.0.5:3307", { host: "10.0.0.5", port: 3307, ipVersion: 4 }],
    ["10.0.0.5", { host: "10.0.0.5", port: 3306, ipVersion: 4 }],
    ["db.internal:3306", { host: "db.internal", port: 3306, ipVersion: 0 }],
    ["mysql.db.svc.cluster.local", { host: "mysql.db.svc.cluster.local", port: 3306, ipVersion: 0 }],
    ["[fd00::5]:3308", { host: "fd00::5", port: 3308, ipVersion: 6 }],
    ["fd00::5", { host: "fd00::5", port: 3306, ipVersion: 6 }],
  ])("parses %s", (value, expected) => {
    expect(parseDatabaseEndpoint(value)).toEqual(expected);
  });

  it.each(["db:0", "db:70000", "db:abc", ":3306", ""])("rejects %j", (value) => {
    expect(() => parseDatabaseEndpoint(value)).toThrow(/Invalid database host/);
  });
});

describe("buildNetworkPolicies", () => {
  const network = {
    gatewayPods: { namespace: "sitepod-gateway", selector: { "app.kubernetes.io/name": "traefik" } },
    databaseHost: "10.0.0.5:3307",
  };
  const policies = buildNetworkPolicies(account, network);

  it("renders four labelled, hashed policies in the tenant namespace", () => {
    expect(policies.map((p) => p.metadata.name)).toEqual([
      "sitepod-default-deny",
      "sitepod-allow-gateway",
      "sitepod-allow-dns",
      "sitepod-allow-site-database",
    ]);
    for (const p of policies) {
      expect(p).toMatchObject({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" });
      expect(p.metadata.namespace).toBe("sp-acme");
      expect(p.metadata.labels).toMatchObject({ [MANAGED_BY_LABEL]: "sitepod", [ACCOUNT_LABEL]: "acct456" });
      expect(p.metadata.annotations[SPEC_HASH_ANNOTATION]).toBeDefined();
    }
  });

  it("denies all ingress and egress of every pod by default", () => {
    expect(byName(policies, "sitepod-default-deny").spec).toEqual({
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
    });
  });

  it("admits traffic to site pods from the gateway's pods only, in the gateway's namespace", () => {
    expect(byName(policies, "sitepod-allow-gateway").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "sitepod-site" } },
      policyTypes: ["Ingress"],
      // client-node's model names the field `_from` and serializes it as `from`. Both selectors in
      // one peer: pods with the label, in that namespace (not: any pod there, or such pods anywhere).
      ingress: [
        {
          _from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "sitepod-gateway" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
            },
          ],
        },
      ],
    });
  });

  it("follows the gateway wherever the operator put it, and admits a whole namespace on an empty selector", () => {
    const elsewhere = buildNetworkPolicies(account, {
      ...network,
      gatewayPods: { namespace: "edge", selector: { app: "envoy", tier: "gw" } },
    });
    expect(byName(elsewhere, "sitepod-allow-gateway").spec).toMatchObject({
      ingress: [
        {
          _from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "edge" } },
              podSelector: { matchLabels: { app: "envoy", tier: "gw" } },
            },
          ],
        },
      ],
    });
    const whole = buildNetworkPolicies(account, {
      ...network,
      gatewayPods: { namespace: "ingress-nginx", selector: {} },
    });
    expect(byName(whole, "sitepod-allow-gateway").spec).toMatchObject({
      ingress: [{ _from: [{ podSelector: { matchLabels: {} } }] }],
    });
  });

  it("lets pods resolve names through kube-system on port 53, UDP and TCP", () => {
    expect(byName(policies, "sitepod-allow-dns").spec).toEqual({
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
    });
  });

  it("lets site pods reach the database server's address and port only", () => {
    expect(byName(policies, "sitepod-allow-site-database").spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "sitepod-site" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.5/32" } }], ports: [{ protocol: "TCP", port: 3307 }] }],
    });
    const v6 = buildNetworkPolicies(account, { ...network, databaseHost: "[fd00::5]:3306" });
    expect(byName(v6, "sitepod-allow-site-database").spec).toMatchObject({
      egress: [{ to: [{ ipBlock: { cidr: "fd00::5/128" } }] }],
    });
  });

  it("allows any destination on the database port when the server is named by DNS", () => {
    const named = buildNetworkPolicies(account, { ...network, databaseHost: "mysql.db.svc:3306" });
    expect(byName(named, "sitepod-allow-site-database").spec).toMatchObject({
      egress: [{ ports: [{ protocol: "TCP", port: 3306 }] }],
    });
    expect(JSON.stringify(byName(named, "sitepod-allow-site-database").spec)).not.toContain('"to"');
  });
});
