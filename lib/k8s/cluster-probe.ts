/**
 * Can this process reach the Kubernetes API server, and does it call itself ready? For the platform
 * health page: the web process asks with the kubeconfig Sitepod uses (lib/k8s/client.ts) and gives
 * up after a short timeout, so that a cluster that does not answer makes the page say so instead
 * of hanging it.
 */
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export const CLUSTER_PROBE_TIMEOUT_MS = 2_000;

export type ClusterProbe =
  /** /readyz answered 200 (and /version, when it did, its version). */
  | { state: "ready"; server: string; version: string | null; latencyMs: number }
  /** The API server answered, but not ready (or refused the credentials). */
  | { state: "unready"; server: string; status: number; message: string; latencyMs: number }
  /** No answer: refused, unresolvable, TLS failure or the timeout. */
  | { state: "unreachable"; server: string; message: string }
  /** This process has no kubeconfig (and does not run in a pod). */
  | { state: "not-configured"; message: string };

interface Answer {
  status: number;
  body: string;
}

/** One GET with the kubeconfig's credentials; rejects on network errors and after `timeoutMs`. */
async function get(kc: KubeConfig, server: string, path: string, timeoutMs: number): Promise<Answer> {
  const url = new URL(path, server.endsWith("/") ? server : `${server}/`);
  const opts: https.RequestOptions = { method: "GET", headers: { accept: "application/json, text/plain" } };
  // Client certificates, bearer token, CA, and an agent carrying them.
  await kc.applyToHTTPSOptions(opts);
  const transport = url.protocol === "http:" ? http : https;
  if (url.protocol === "http:") delete opts.agent;
  return new Promise((resolve, reject) => {
    // The whole exchange, connecting included, within the timeout (a socket timeout alone resets
    // with every byte).
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const settle =
      <T>(fn: (value: T) => void) =>
      (value: T) => {
        clearTimeout(deadline);
        fn(value);
      };
    const req = transport.request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        // A probe needs a few bytes; never buffer a large answer.
        if (size < 4096) chunks.push(chunk);
        size += chunk.length;
      });
      res.on(
        "end",
        settle(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") })),
      );
      res.on("error", settle(reject));
    });
    req.on("error", settle(reject));
    req.end();
  });
}

function versionOf(answer: Answer | null): string | null {
  if (answer?.status !== 200) return null;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    if (typeof parsed === "object" && parsed !== null && "gitVersion" in parsed) {
      return typeof parsed.gitVersion === "string" ? parsed.gitVersion : null;
    }
  } catch {
    // Not JSON: no version to show.
  }
  return null;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    return code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Asks the API server /readyz and /version at once; never throws. */
export async function probeCluster(
  kc: KubeConfig | null,
  timeoutMs: number = CLUSTER_PROBE_TIMEOUT_MS,
): Promise<ClusterProbe> {
  const server = kc?.getCurrentCluster()?.server;
  if (!kc || !server) {
    return { state: "not-configured", message: "This web process has no kubeconfig for the cluster." };
  }
  const started = performance.now();
  const [readyz, version] = await Promise.allSettled([
    get(kc, server, "/readyz", timeoutMs),
    get(kc, server, "/version", timeoutMs),
  ]);
  const latencyMs = Math.round(performance.now() - started);
  if (readyz.status === "rejected") {
    return { state: "unreachable", server, message: messageOf(readyz.reason) };
  }
  if (readyz.value.status !== 200) {
    return {
      state: "unready",
      server,
      status: readyz.value.status,
      message: readyz.value.body.trim().slice(0, 300) || `HTTP ${readyz.value.status}`,
      latencyMs,
    };
  }
  return {
    state: "ready",
    server,
    version: versionOf(version.status === "fulfilled" ? version.value : null),
    latencyMs,
  };
}
