import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { kubeconfigPath, loadKubeConfig, reuseConnections, runsInCluster } from "./client";

const KUBECONFIG_YAML = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe("loadKubeConfig", () => {
  it("reads the file named by KUBECONFIG (first entry of a list)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "kc-"));
    const file = path.join(dir, "config");
    writeFileSync(file, KUBECONFIG_YAML);
    const env = { KUBECONFIG: `${file}${path.delimiter}/elsewhere` };
    expect(kubeconfigPath(env)).toBe(file);
    expect(loadKubeConfig(undefined, { env }).getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
  });

  it("says how to get a cluster when there is no kubeconfig and no pod", () => {
    expect(() => loadKubeConfig("/nonexistent/kubeconfig", { env: {} })).toThrow(
      /npm run cluster:up.*KUBECONFIG/,
    );
  });

  it("uses the pod's ServiceAccount when running in a cluster without a kubeconfig", () => {
    const env = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
    expect(runsInCluster(env)).toBe(true);
    const kc = loadKubeConfig(undefined, { env, local: "/nonexistent/local-kubeconfig" });
    expect(kc.getCurrentCluster()?.server).toBe("https://10.96.0.1:443");
  });

  it("does not fall back to the pod's identity when KUBECONFIG names a missing file", () => {
    const env = {
      KUBECONFIG: "/nonexistent/kc",
      KUBERNETES_SERVICE_HOST: "10.96.0.1",
      KUBERNETES_SERVICE_PORT: "443",
    };
    expect(() => loadKubeConfig(undefined, { env })).toThrow(/No kubeconfig at \/nonexistent\/kc/);
  });
});

describe("reuseConnections", () => {
  /** A kubeconfig with a client certificate; the bytes are never parsed, no connection is made. */
  function certConfig(cert = "client-cert"): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: "c",
          server: "https://127.0.0.1:6443",
          caData: Buffer.from("ca").toString("base64"),
          skipTLSVerify: false,
        },
      ],
      users: [
        {
          name: "u",
          certData: Buffer.from(cert).toString("base64"),
          keyData: Buffer.from("client-key").toString("base64"),
        },
      ],
      contexts: [{ name: "ctx", cluster: "c", user: "u" }],
      currentContext: "ctx",
    });
    return kc;
  }

  /** The dispatcher an API call would get (what a generated API client does per call). */
  async function dispatcherOfOneCall(kc: KubeConfig): Promise<unknown> {
    let dispatcher: unknown;
    const context = {
      setHeaderParam: () => undefined,
      setDispatcher: (d: unknown) => {
        dispatcher = d;
      },
    };
    await kc.applySecurityAuthentication(context as never);
    if (!dispatcher) throw new Error("no dispatcher set");
    return dispatcher;
  }

  it("gives every API call the same dispatcher, so its keep-alive connections are reused", async () => {
    const plain = certConfig();
    // client-node alone: a new one per call (what this works around; if this changes, drop it).
    expect(await dispatcherOfOneCall(plain)).not.toBe(await dispatcherOfOneCall(plain));
    const kc = reuseConnections(certConfig());
    const first = await dispatcherOfOneCall(kc);
    expect(await dispatcherOfOneCall(kc)).toBe(first);
  });

  it("takes a new dispatcher when the client certificate changes (a rotated certificate)", async () => {
    const kc = reuseConnections(certConfig("first"));
    const first = await dispatcherOfOneCall(kc);
    const user = kc.getCurrentUser();
    if (!user) throw new Error("no user");
    (user as { certData?: string }).certData = Buffer.from("rotated").toString("base64");
    expect(await dispatcherOfOneCall(kc)).not.toBe(first);
  });

  it("is what loadKubeConfig returns", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "sitepod-kc-"));
    try {
      const file = path.join(dir, "kubeconfig");
      writeFileSync(file, certConfig().exportConfig());
      const kc = loadKubeConfig(file, { env: {} });
      expect(await dispatcherOfOneCall(kc)).toBe(await dispatcherOfOneCall(kc));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
