import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { kubeconfigPath, loadKubeConfig, runsInCluster } from "./client";

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
