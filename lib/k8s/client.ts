import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";

type Env = Record<string, string | undefined>;

/** Where `npm run cluster:up` writes the local cluster's kubeconfig. */
export const LOCAL_KUBECONFIG = path.join(process.cwd(), ".sitepod", "kubeconfig");

/**
 * KUBECONFIG points Sitepod at any cluster; without it Sitepod uses the local cluster
 * started by `npm run cluster:up`.
 */
export function kubeconfigPath(env: Env = process.env, local = LOCAL_KUBECONFIG): string {
  const fromEnv = env.KUBECONFIG;
  if (fromEnv) return fromEnv.split(path.delimiter)[0] ?? fromEnv;
  return local;
}

/** Inside a pod, Kubernetes sets these and mounts the ServiceAccount's token. */
export function runsInCluster(env: Env = process.env): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT);
}

/**
 * The kubeconfig Sitepod talks to: the file named by KUBECONFIG (or the local cluster's), or, when
 * neither exists and the process runs in a pod, the pod's ServiceAccount (in-cluster config).
 */
export function loadKubeConfig(file?: string, opts: { env?: Env; local?: string } = {}): KubeConfig {
  const env = opts.env ?? process.env;
  const kc = new KubeConfig();
  const chosen = file ?? kubeconfigPath(env, opts.local);
  if (existsSync(chosen)) {
    kc.loadFromFile(chosen);
    return kc;
  }
  if (!file && !env.KUBECONFIG && runsInCluster(env)) {
    // client-node reads the service host/port from process.env; pass ours through.
    const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
    process.env.KUBERNETES_SERVICE_HOST = env.KUBERNETES_SERVICE_HOST;
    process.env.KUBERNETES_SERVICE_PORT = env.KUBERNETES_SERVICE_PORT;
    try {
      kc.loadFromCluster();
    } finally {
      restoreEnv("KUBERNETES_SERVICE_HOST", saved.host);
      restoreEnv("KUBERNETES_SERVICE_PORT", saved.port);
    }
    return kc;
  }
  throw new Error(
    `No kubeconfig at ${chosen}. Run \`npm run cluster:up\` to start the local cluster, or set KUBECONFIG to point Sitepod at an existing cluster.`,
  );
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
