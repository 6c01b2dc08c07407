import { describe, expect, it } from "vitest";
import { buildNetworkPolicies } from "./network-policy";

const account = { accountId: "a1", accountSlug: "acme" };
const network = {
  gatewayPods: { namespace: "gw", selector: { app: "traefik" } },
  databaseHost: "10.0.0.5:3306",
};

function siteDatabaseEgress(databaseServers?: string[]) {
  const policy = buildNetworkPolicies(account, {
    ...network,
    ...(databaseServers ? { databaseServers } : {}),
  }).find((o) => o.metadata.name === "sitepod-allow-site-database") as unknown as {
    spec: { egress: unknown[] };
  };
  return policy.spec.egress;
}

describe("site pods reaching the registered database servers", () => {
  it("allows the sites' own server only, without registered servers", () => {
    expect(siteDatabaseEgress()).toEqual([
      { to: [{ ipBlock: { cidr: "10.0.0.5/32" } }], ports: [{ protocol: "TCP", port: 3306 }] },
    ]);
  });

  it("adds each registered server once, in a stable order", () => {
    expect(siteDatabaseEgress(["postgres.db.svc:5432", "10.0.0.5:3306", "10.0.0.6:5432"])).toEqual([
      { to: [{ ipBlock: { cidr: "10.0.0.5/32" } }], ports: [{ protocol: "TCP", port: 3306 }] },
      { to: [{ ipBlock: { cidr: "10.0.0.6/32" } }], ports: [{ protocol: "TCP", port: 5432 }] },
      // A DNS name: the port to any address, as for the sites' own server.
      { ports: [{ protocol: "TCP", port: 5432 }] },
    ]);
  });
});
