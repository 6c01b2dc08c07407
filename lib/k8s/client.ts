import { createHash, type Hash } from "node:crypto";
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
  const kc = reuseConnections(new KubeConfig());
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

type CreateDispatcher = (cluster: unknown, agentOptions: unknown) => unknown;

/**
 * Makes API calls through `kc` reuse their connections. client-node 2.0 builds a new undici Agent
 * for every call of a generated API client (applySecurityAuthentication -> createDispatcher), so no
 * connection is ever reused: each call pays a TCP connect, a TLS handshake and a new secure context
 * (the client key parsed again) on both ends, the API server's included. Here one dispatcher is
 * kept per TLS identity (the CA, client certificate and key as read for that call, so a rotated
 * certificate gets a new one) and its keep-alive connections serve every later call.
 */
export function reuseConnections(kc: KubeConfig): KubeConfig {
  // A private method of client-node's; lib/k8s/client.test.ts fails if it goes away or changes.
  const target = kc as unknown as { createDispatcher?: CreateDispatcher };
  const original = target.createDispatcher;
  if (typeof original !== "function") return kc;
  const kept = new Map<string, unknown>();
  target.createDispatcher = (cluster, agentOptions) => {
    const options = kc.createDispatcherOptions(
      cluster as Parameters<KubeConfig["createDispatcherOptions"]>[0],
      agentOptions as Parameters<KubeConfig["createDispatcherOptions"]>[1],
    );
    const hash = createHash("sha256");
    hashValue(hash, options);
    const key = hash.digest("hex");
    if (!kept.has(key)) kept.set(key, original.call(kc, cluster, agentOptions));
    return kept.get(key);
  };
  return kc;
}

/** Feeds `value` to `hash` (buffers as their bytes, objects by sorted key): no JSON copy of the key's bytes per call. */
function hashValue(hash: Hash, value: unknown): void {
  if (Buffer.isBuffer(value)) {
    hash.update(`b${value.length}:`).update(value);
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length}:`);
    for (const item of value) hashValue(hash, item);
  } else if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value).sort()) {
      hash.update(`k${key}=`);
      hashValue(hash, (value as Record<string, unknown>)[key]);
    }
    hash.update(";");
  } else {
    hash.update(`v${typeof value}:${String(value)};`);
  }
}
