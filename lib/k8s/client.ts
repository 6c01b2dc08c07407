import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

/** Where `npm run cluster:up` writes the local cluster's kubeconfig. */
export const LOCAL_KUBECONFIG = path.join(process.cwd(), ".sitepod", "kubeconfig");

/**
 * KUBECONFIG points Sitepod at any cluster; without it Sitepod uses the local cluster
 * started by `npm run cluster:up`.
 */
export function kubeconfigPath(): string {
  const fromEnv = process.env.KUBECONFIG;
  if (fromEnv) return fromEnv.split(path.delimiter)[0] ?? fromEnv;
  return LOCAL_KUBECONFIG;
}

export function loadKubeConfig(file = kubeconfigPath()): KubeConfig {
  if (!existsSync(file)) {
    throw new Error(
      `No kubeconfig at ${file}. Run \`npm run cluster:up\` to start the local cluster, or set KUBECONFIG to point Sitepod at an existing cluster.`,
    );
  }
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return kc;
}
