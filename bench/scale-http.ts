/**
 * The scale benchmark's HTTP phase (issue 12, part 1): the panel's production server (`next build`,
 * then `next start` on loopback, as `npm run up` serves it) on the seeded database, loaded by
 * autocannon with N concurrent connections, each sending its next request when the last one is
 * answered (bounded: a fixed number of requests per scenario). API calls carry an API token, pages
 * the session cookie of a real sign-in. The web process's memory is sampled from /proc during the
 * load (the server and every process it starts), apart from the load generator's.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import { freePort } from "@/tests/helpers/private-mariadb";
import { webNodeOptions } from "../scripts/web-process.mjs";
import { percentile, rssBytes } from "./support";

/** One row of the report: a scenario measured with some number of concurrent callers. */
export interface Measurement {
  name: string;
  callers: number;
  calls: number;
  errors: number;
  firstError?: string;
  p50: number;
  p95: number;
  p99: number;
  /** Completed calls per second over the measurement (with N callers, latency ≈ N / this). */
  perSecond: number;
  /** Peak RSS during the measurement, MB: this process's (in process) or the web server's (HTTP). */
  rssMb: number;
  /** p95 target in ms; null: no target in the issue (printed for reading). */
  target: number | null;
}

/** A request the load generator repeats, built afresh for every call (random tenant, query). */
export interface HttpScenario {
  name: string;
  target: number | null;
  request: () => { method?: "GET" | "POST"; path: string; auth: HttpAuth; body?: unknown };
}

/**
 * Who calls: an API token (Authorization: Bearer), a signed-in browser (its session cookie), or
 * nobody (a route anyone may call: the liveness route that measures the server's own floor).
 */
export type HttpAuth = { token: string } | { cookie: string } | { anonymous: true };

function authHeaders(auth: HttpAuth): Record<string, string> {
  if ("token" in auth) return { authorization: `Bearer ${auth.token}` };
  if ("cookie" in auth) return { cookie: auth.cookie };
  return {};
}

const ROOT = path.resolve(import.meta.dirname, "..");
const NEXT = path.join(ROOT, "node_modules", ".bin", "next");
const NEXT_CLI = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");

/** Runs a command to its end; its output is kept and shown only when it fails. */
async function runQuietly(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} failed (${code}):\n${output}`);
}

/** The pid and every descendant of it, from /proc (Linux). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command may hold spaces and parentheses: the fields after the last ")" are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we read.
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(children.get(tree[i] as number) ?? []));
  return tree;
}

/** Resident memory of the process and its descendants now, bytes. */
function treeRss(root: number): number {
  let total = 0;
  for (const pid of processTree(root)) {
    total += rssBytes(pid) ?? 0;
  }
  return total;
}

export interface WebServer {
  baseUrl: string;
  /** The web process's memory now (it and its children), MB. */
  rssMb: () => number;
  stop: () => Promise<void>;
}

/**
 * Builds the panel (`next build`, as `npm run up` does) and serves it with `next start` on a free
 * loopback port, on the given database; resolves once it answers its liveness route.
 */
export async function startWebServer(options: {
  databaseUrl: string;
  secretKey: string;
  say: (line: string) => void;
}): Promise<WebServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: options.databaseUrl,
    NEXTAUTH_URL: baseUrl,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    SITEPOD_SECRET_KEY: options.secretKey,
    SITEPOD_LOG_LEVEL: "warn",
  };
  // Not this bench's own flags (tsx's loader): the build runs as `npm run up` runs it, the server
  // with the web process's options (its heap bound) as everywhere it runs, plus any given here.
  delete env.NODE_OPTIONS;
  const serverOptions = process.env.SITEPOD_BENCH_SERVER_NODE_OPTIONS;
  if (process.env.SITEPOD_BENCH_NEXT_BUILD === "no" && existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    options.say("  using the panel's existing build (.next)");
  } else {
    options.say("  building the panel (next build)...");
    const began = performance.now();
    await runQuietly(NEXT, ["build"], env);
    options.say(`  built in ${((performance.now() - began) / 1000).toFixed(0)} s`);
  }
  options.say(`  starting next start on ${baseUrl}`);
  // Node's own flags on its command line: NODE_OPTIONS refuses some (--cpu-prof).
  const nodeArgs = serverOptions ? serverOptions.split(/\s+/).filter(Boolean) : [];
  const args = [...nodeArgs, NEXT_CLI, "start", "--hostname", "127.0.0.1", "--port", String(port)];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...env, NODE_OPTIONS: webNodeOptions(undefined) },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start did not start");
  const stop = async () => {
    try {
      process.kill(-pid, "SIGTERM");
    } catch {
      return;
    }
    await exited;
  };
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
      const up = await fetch(`${baseUrl}/api/health/live`).then(
        (res) => res.ok,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error("next start did not answer within 60 s");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, rssMb: () => treeRss(pid) / 1024 / 1024, stop };
}

function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

/** Signs in through the panel's own sign-in (next-auth credentials); answers the session cookie. */
export async function signInOverHttp(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      cookie: cookiesOf(csrf),
      origin: baseUrl,
    },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const session = cookiesOf(res)
    .split("; ")
    .find((cookie) => cookie.includes("session-token="));
  if (!session) throw new Error(`sign-in as ${email} gave no session cookie (HTTP ${res.status})`);
  return session;
}

/**
 * `calls` requests of the scenario from `connections` concurrent connections (autocannon), the
 * latency of each from its response, and the web process's peak memory while they ran.
 */
export async function measureOverHttp(
  server: WebServer,
  scenario: HttpScenario,
  connections: number,
  calls: number,
): Promise<Measurement> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  let peak = server.rssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 200);
  const began = performance.now();
  let lastAnswer = began;
  try {
    const options: autocannon.Options = {
      url: server.baseUrl,
      connections,
      amount: calls,
      timeout: 60,
      requests: [
        {
          setupRequest: (request) => {
            const { method = "GET", path: requestPath, auth, body } = scenario.request();
            return {
              ...request,
              method,
              path: requestPath,
              headers: {
                ...authHeaders(auth),
                ...(body === undefined ? {} : { "content-type": "application/json" }),
              },
              body: body === undefined ? undefined : JSON.stringify(body),
            };
          },
        },
      ],
    };
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(options, (err, done) => (err ? reject(err) : resolve(done)));
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        lastAnswer = performance.now();
        times.push(responseTime);
        statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      });
    });
    // To the last answer: autocannon notices that it is done on its next tick, up to 1 s later.
    const elapsed = (lastAnswer - began) / 1000;
    times.sort((a, b) => a - b);
    // Anything but a 2xx is a failed call: a redirect is the sign-in page, not the list asked for.
    const failed = [...statuses].filter(([status]) => status < 200 || status >= 300);
    const errors = failed.reduce((sum, [, count]) => sum + count, 0) + result.errors + result.timeouts;
    const firstError =
      failed.length > 0
        ? `HTTP ${failed.map(([status, count]) => `${status} ×${count}`).join(", ")}`
        : result.errors + result.timeouts > 0
          ? `${result.errors} connection errors, ${result.timeouts} timeouts`
          : undefined;
    return {
      name: scenario.name,
      callers: connections,
      calls: times.length,
      errors,
      firstError,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      p99: percentile(times, 99),
      perSecond: times.length / elapsed,
      rssMb: Math.max(peak, server.rssMb()),
      target: scenario.target,
    };
  } finally {
    clearInterval(sampler);
  }
}
