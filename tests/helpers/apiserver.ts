/**
 * For integration tests of the hosting.sitepod.io API server: starts it on a free loopback port
 * with a certificate made for the test (scripts/local-certs.mjs, as `npm run up` does) against the
 * test database, and runs the real kubectl (the one built for the local cluster) against it.
 *
 * Authentication is the real one (lib/apiserver/bearer-tokens.ts): tests create API tokens through
 * the services with `createTestToken` and send them as kubectl's `--token` or `Authorization`.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { clusterPaths } from "@/cluster/cluster";
import { bearerTokens } from "@/lib/apiserver/bearer-tokens";
import type { Authenticator, FrontProxyOptions } from "@/lib/apiserver/server";
import { type RunningApiServer, startApiServer } from "@/lib/apiserver/start";
import type { WatchCacheOptions } from "@/lib/apiserver/watch/watch-cache";
import { authenticateBearer, isTokenError } from "@/lib/auth/bearer";
import { getAccountRole } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/client";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";
// @ts-expect-error: plain ESM script without type declarations (it runs before dependencies exist).
import { ensureLocalCerts } from "@/scripts/local-certs.mjs";

const ensureCerts = ensureLocalCerts as (dir: string) => { caCert: string; cert: string; key: string };

let tokenCount = 0;

/**
 * A real API token (made by the service, as the panel makes it) of `userId` on `accountId`, with
 * `role` (default: the user's own role there). A live token has been used once from 127.0.0.1, as
 * the test's requests come, so that no later request writes its first-use audit line (a test that
 * counts change-log rows sees only its own). "revoked" and "expired" tokens are for refusals.
 */
export async function createTestToken(options: {
  userId: string;
  accountId: string;
  role?: Role;
  state?: "live" | "revoked" | "expired";
}): Promise<string> {
  const actor = { userId: options.userId, ip: null };
  const role = options.role ?? (await getAccountRole({ actor, accountId: options.accountId }));
  if (!role) throw new Error(`createTestToken: user ${options.userId} holds no role on that account`);
  tokenCount += 1;
  const { token, secret } = await createApiToken({
    actor,
    accountId: options.accountId,
    input: { name: `test token ${tokenCount}`, role, expiresInDays: 30 },
  });
  const state = options.state ?? "live";
  if (state === "revoked") await revokeApiToken({ actor, input: { tokenId: token.id } });
  if (state === "expired") {
    await prisma.apiToken.update({
      where: { id: token.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
  }
  if (state === "live") {
    const used = await authenticateBearer(`Bearer ${secret}`, "127.0.0.1");
    if (isTokenError(used)) throw new Error(`createTestToken: the new token is refused: ${used.message}`);
  }
  return secret;
}

export interface TestApiServer extends RunningApiServer {
  caCert: string;
  dir: string;
  /** A kubeconfig file for this token (context "sitepod", namespace `namespace` when given). */
  kubeconfig(token: string, namespace?: string): string;
}

export async function startTestApiServer(options: {
  /** Default: Sitepod's API tokens, as the real server takes them. */
  authenticate?: Authenticator;
  cache?: Omit<WatchCacheOptions, "resources">;
  /** How often an open watch rechecks its token (the server's default is a minute). */
  watchRecheckMs?: number;
  /** Restart a server: the same folder (its CA stays trusted) and port. */
  restart?: { dir: string; port: number };
  /** Trust a front proxy (lib/apiserver/front-proxy.ts), as a server registered into a cluster. */
  frontProxy?: FrontProxyOptions;
  /** Listen on this loopback address (default 127.0.0.1). */
  host?: string;
}): Promise<TestApiServer> {
  const dir = options.restart?.dir ?? mkdtempSync(path.join(tmpdir(), "sitepod-apiserver-"));
  const certs = ensureCerts(dir);
  const server = await startApiServer({
    host: options.host ?? "127.0.0.1",
    port: options.restart?.port ?? 0,
    ...(options.frontProxy ? { frontProxy: options.frontProxy } : {}),
    tls: { cert: readFileSync(certs.cert), key: readFileSync(certs.key) },
    authenticate: options.authenticate ?? bearerTokens,
    version: "0.0.0-test",
    watchRecheckMs: options.watchRecheckMs,
    cache: { pollMs: 50, gapHoldMs: 500, ...options.cache },
  });
  let n = 0;
  return {
    ...server,
    caCert: certs.caCert,
    dir,
    kubeconfig(token, namespace) {
      n += 1;
      const file = path.join(dir, `kubeconfig-${n}`);
      writeFileSync(
        file,
        JSON.stringify({
          apiVersion: "v1",
          kind: "Config",
          clusters: [
            { name: "sitepod", cluster: { server: server.url, "certificate-authority": certs.caCert } },
          ],
          users: [{ name: "test", user: { token } }],
          contexts: [
            {
              name: "sitepod",
              context: { cluster: "sitepod", user: "test", ...(namespace ? { namespace } : {}) },
            },
          ],
          "current-context": "sitepod",
        }),
      );
      return file;
    },
  };
}

export function kubectlBinary(): string {
  const bin = path.join(clusterPaths().binDir, "kubectl");
  if (!existsSync(bin)) {
    throw new Error(
      `kubectl is not built at ${bin}: run \`npm run cluster:up\` once (it builds the cluster's binaries)`,
    );
  }
  return bin;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs kubectl with this kubeconfig (a fresh discovery cache per run directory). */
export function kubectl(kubeconfig: string, args: string[], input?: string): Promise<KubectlResult> {
  const cacheDir = path.join(path.dirname(kubeconfig), "cache");
  return new Promise((resolve) => {
    const child = execFile(
      kubectlBinary(),
      ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KUBECONFIG: "" } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === "number"
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) {
      child.stdin?.end(input);
    }
  });
}

/** kubectl that must succeed; returns its stdout. */
export async function kubectlOk(kubeconfig: string, args: string[], input?: string): Promise<string> {
  const result = await kubectl(kubeconfig, args, input);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** A long-running kubectl (get -w): its output so far, and a way to stop it. */
export function kubectlStream(kubeconfig: string, args: string[]) {
  const cacheDir = path.join(path.dirname(kubeconfig), "cache");
  const child = spawn(kubectlBinary(), ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], {
    env: { ...process.env, KUBECONFIG: "" },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  return {
    output: () => stdout,
    errors: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/** One HTTPS request to the test API server, trusting its CA. */
export function apiRequest(
  server: TestApiServer,
  options: {
    method?: string;
    path: string;
    token?: string;
    body?: string | Buffer;
    headers?: Record<string, string>;
    /** A TLS client certificate and key (PEM) to present. */
    clientCert?: { cert: string | Buffer; key: string | Buffer };
  },
): Promise<ApiResponse> {
  const url = new URL(options.path, server.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method: options.method ?? "GET",
        ca: readFileSync(server.caCert),
        // A client certificate belongs to a connection: a fresh one for such a request.
        ...(options.clientCert ? { ...options.clientCert, agent: false } : {}),
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) });
        });
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export interface WatchEventLine {
  type: string;
  object: {
    kind?: string;
    metadata?: {
      name?: string;
      resourceVersion?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
      deletionTimestamp?: string;
    };
  } & Record<string, unknown>;
}

/** A streaming watch request: the events so far, a wait for one, the response's headers. */
export function apiWatch(server: TestApiServer, options: { path: string; token: string }) {
  const events: WatchEventLine[] = [];
  let buffer = "";
  let ended = false;
  let status = 0;
  let headers: Record<string, string | string[] | undefined> = {};
  let body = "";
  const url = new URL(options.path, server.url);
  const req = httpsRequest(
    url,
    { ca: readFileSync(server.caCert), headers: { authorization: `Bearer ${options.token}` } },
    (res) => {
      status = res.statusCode ?? 0;
      headers = res.headers;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
        buffer += chunk;
        for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          if (line.trim() && status === 200) events.push(JSON.parse(line) as WatchEventLine);
        }
      });
      res.on("end", () => {
        ended = true;
      });
    },
  );
  req.on("error", () => {
    ended = true;
  });
  req.end();
  return {
    events,
    status: () => status,
    headers: () => headers,
    body: () => body,
    ended: () => ended,
    close: () => req.destroy(),
  };
}
