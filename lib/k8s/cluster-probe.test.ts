import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, describe, expect, it } from "vitest";
import { probeCluster } from "./cluster-probe";

let servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
  servers = [];
});

/** A stand-in API server on a free loopback port; `seen` collects the Authorization headers. */
async function apiServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; seen: (string | undefined)[] }> {
  const seen: (string | undefined)[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node speaks plain HTTP only to clusters marked so.
    clusters: [{ name: "c", server, skipTLSVerify: true }],
    users: [{ name: "u", token: "probe-token" }],
    contexts: [{ name: "ctx", cluster: "c", user: "u" }],
    currentContext: "ctx",
  });
  return kc;
}

describe("probeCluster", () => {
  it("says ready with the version, sending the kubeconfig's credentials", async () => {
    const api = await apiServer((req, res) => {
      if (req.url === "/readyz") res.end("ok");
      else res.end(JSON.stringify({ gitVersion: "v1.36.1" }));
    });
    const probe = await probeCluster(kubeConfigFor(api.url));
    expect(probe).toMatchObject({ state: "ready", server: api.url, version: "v1.36.1" });
    expect(api.seen).toEqual(["Bearer probe-token", "Bearer probe-token"]);
  });

  it("says unready with the API server's words when /readyz fails", async () => {
    const api = await apiServer((req, res) => {
      res.statusCode = req.url === "/readyz" ? 500 : 200;
      res.end(req.url === "/readyz" ? "[-]etcd failed: reason withheld\nreadyz check failed" : "{}");
    });
    const probe = await probeCluster(kubeConfigFor(api.url));
    expect(probe).toMatchObject({ state: "unready", status: 500 });
    expect(probe.state === "unready" && probe.message).toContain("etcd failed");
  });

  it("says unreachable when nothing listens", async () => {
    const api = await apiServer(() => {});
    const url = api.url;
    await new Promise<void>((resolve) => servers[0]?.close(() => resolve()));
    servers = [];
    const probe = await probeCluster(kubeConfigFor(url));
    expect(probe).toMatchObject({ state: "unreachable", server: url });
    expect(probe.state === "unreachable" && probe.message).toMatch(/ECONNREFUSED/);
  });

  it("gives up after the timeout when the API server never answers", async () => {
    const api = await apiServer(() => {
      // Accepts the request and says nothing.
    });
    const started = Date.now();
    const probe = await probeCluster(kubeConfigFor(api.url), 200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(probe).toMatchObject({ state: "unreachable", message: "no answer within 200 ms" });
  });

  it("says not configured without a kubeconfig", async () => {
    expect(await probeCluster(null)).toMatchObject({ state: "not-configured" });
  });
});
