/**
 * Live-update streams benchmark: `npm run bench:streams`.
 *
 * One web process's change hub (lib/live/change-hub.ts, with the route's defaults) on a fresh
 * MariaDB database (dropped at the end), and BENCH_STREAMS event streams (default 1,000), each
 * running the code the route runs for a request (lib/live/change-stream.ts) with the route's
 * intervals. BENCH_TRANSPORT=http (default): each stream is a real HTTP request over loopback to a
 * server in this process that authenticates the user's API token as the route does and re-checks
 * it every 5 s (both ends' sockets count in the RSS); inprocess: runChangeStream is called
 * directly, each with a real session of its user (findActiveUserSession re-checked every 5 s).
 * The streams belong to the owners of BENCH_ACCOUNTS customer accounts (default 100) and, one in
 * ten, to the platform operator (who sees every change). Then BENCH_CHANGES change-log rows
 * (default 6,000) are written as the services write them (appendChange in a transaction, a site's
 * account on each) at BENCH_RATE per second (default 100), so for a minute: long enough for the
 * once-a-minute membership re-reads to show.
 *
 * It prints the delivery latency (the writer's commit returning to the event reaching each stream
 * that may see it: p50, p95, max), the process's RSS, and the database queries per second during
 * the changes (counted where Prisma sends them): the hub's reads of the change log, and the
 * streams' own (credential re-checks and membership re-reads); each beside its target. The writer
 * has its own client, standing in for the requests and processes that write.
 *
 * Not Next's server nor the route module itself (its next-auth import does not load outside Next's
 * bundler): the figures are the hub's, the streams' and their sockets'.
 * Figures to read, not assertions: not part of `npm test`.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { resumeFrom } from "@/lib/api/sse";
import { authenticateBearer, isTokenError } from "@/lib/auth/bearer";
import { type AuthzSubject, membershipRoots } from "@/lib/authz/scope";
import { mariadbAdapter, prisma, setPrismaClient } from "@/lib/db";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getChangeHub, resetChangeHub } from "@/lib/live/change-hub";
import { ROOTS_MAX_AGE_MS, runChangeStream } from "@/lib/live/change-stream";
import { stillSignedIn } from "@/lib/live/credential-checks";
import { createLogger } from "@/lib/log";
import { appendChange } from "@/lib/services/change-log/append-change";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { createTestToken } from "@/tests/helpers/apiserver";
import { createTestAccount, createTestDatabase, createTestUser } from "@/tests/helpers/db";
import { intFromEnv, percentile } from "./support";

process.env.SITEPOD_LOG_LEVEL ??= "warn";

const STREAMS = intFromEnv("BENCH_STREAMS", 1000);
const ACCOUNTS = intFromEnv("BENCH_ACCOUNTS", 100);
const CHANGES = intFromEnv("BENCH_CHANGES", 6000);
const RATE = intFromEnv("BENCH_RATE", 100);
/** As app/api/v1/events/route.ts. */
const SESSION_CHECK_MS = 5_000;
const HEARTBEAT_MS = 15_000;
const HUB_POLL_MS = 500;
/** "http": real requests over loopback (see serveStreams); "inprocess": runChangeStream called directly. */
const TRANSPORT = process.env.BENCH_TRANSPORT ?? "http";
if (TRANSPORT !== "http" && TRANSPORT !== "inprocess") {
  throw new Error(`BENCH_TRANSPORT must be http or inprocess, not ${TRANSPORT}`);
}

const TARGET = {
  p50Ms: 500,
  p95Ms: 1_000,
  rssMiB: 400,
  feedReadsPerSecond: 1000 / HUB_POLL_MS,
  // Each stream re-checks its credential once per interval (the route's contract, unchanged by the
  // hub) and re-reads its memberships once a minute when no membership changed.
  checksPerSecond: (STREAMS * 1000) / SESSION_CHECK_MS,
  rootsPerSecond: (STREAMS * 1000) / ROOTS_MAX_AGE_MS,
};

// Calls, counted where the streams make them: credential re-checks and membership re-reads.
const calls = { checks: 0, roots: 0 };
const loadRoots = (actor: AuthzSubject) => {
  calls.roots += 1;
  return membershipRoots(prisma, actor);
};

const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (n: number) => n / 1024 / 1024;

function rss(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return mib(process.memoryUsage().rss);
}

function verdict(ok: boolean): string {
  return ok ? "ok" : "MISSED";
}

/**
 * A loopback HTTP server that does for each request what the route does (authenticate the API
 * token, run the stream, re-check the token every 5 s), with the same code: authenticateBearer,
 * runChangeStream, principalStillValid. Not the route module itself: its next-auth import does not
 * load outside Next's bundler.
 */
const handlers = new Set<Promise<void>>();

async function serveStreams(): Promise<Server> {
  const hub = getChangeHub();
  const log = createLogger();
  const server = createServer((req, res) => {
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const handler = (async () => {
      const principal = await authenticateBearer(req.headers.authorization, "127.0.0.1");
      if (isTokenError(principal)) {
        res.writeHead(principal.status).end(principal.message);
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
      res.write("retry: 3000\n\n");
      await runChangeStream({
        actor: principal,
        requested: resumeFrom({ since: null, lastEventId: (req.headers["last-event-id"] as string) ?? null }),
        hub,
        send: (frame) => res.write(frame),
        signal: abort.signal,
        stillSignedIn: () => {
          calls.checks += 1;
          return stillSignedIn(principal);
        },
        loadRoots,
        sessionCheckMs: SESSION_CHECK_MS,
        heartbeatMs: HEARTBEAT_MS,
        log,
      });
      res.end();
    })().catch((err: unknown) => {
      process.stderr.write(`stream failed: ${String(err)}\n`);
      res.destroy();
    });
    handlers.add(handler);
    void handler.finally(() => handlers.delete(handler));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return server;
}

/** One EventSource-like client: reports each change event's id as it arrives. */
function openHttpStream(
  port: number,
  token: string,
  signal: AbortSignal,
  onChange: (rv: string) => void,
): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: "/api/v1/events",
        headers: { authorization: `Bearer ${token}` },
        signal,
      },
      (res: IncomingMessage) => {
        if (res.statusCode !== 200) {
          process.stderr.write(`stream refused: ${res.statusCode}\n`);
          res.resume();
          return resolve();
        }
        res.setEncoding("utf8");
        let buffer = "";
        res.on("data", (chunk: string) => {
          buffer += chunk;
          for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (frame.startsWith("id: ") && frame.includes("event: change")) {
              onChange(frame.slice(4, frame.indexOf("\n")));
            }
          }
        });
        res.on("close", () => resolve());
      },
    );
    req.on("error", () => resolve());
    req.end();
  });
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const counted = new PrismaClient({
    adapter: mariadbAdapter(database.url),
    log: [{ emit: "event", level: "query" }],
  });
  // The process's queries; the writer (standing in for other requests and processes) has its own client.
  const queries = { feed: 0, streams: 0 };
  counted.$on("query", (e) => {
    if (e.query.includes("LEFT JOIN Account")) queries.feed += 1;
    else queries.streams += 1;
  });
  setPrismaClient(counted);
  const stops: AbortController[] = [];
  const running: Promise<unknown>[] = [];
  let server: Server | undefined;
  try {
    say(
      `event streams (${TRANSPORT === "http" ? "HTTP over loopback" : "in process"}): ${STREAMS} streams, ${ACCOUNTS} accounts, ${CHANGES} changes at ${RATE}/s`,
    );
    const p = database.prisma;
    const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
    const admin = await createTestUser(p, {
      email: "admin@bench.test",
      roles: [{ account: platform, role: "OWNER" }],
    });
    const accounts: { id: string; ownerId: string }[] = [];
    for (let a = 0; a < ACCOUNTS; a++) {
      const account = await createTestAccount(p, { slug: `bench${a}`, parent: platform });
      const owner = await createTestUser(p, {
        email: `owner${a}@bench.test`,
        roles: [{ account, role: "OWNER" }],
      });
      accounts.push({ id: account.id, ownerId: owner.id });
    }
    const rssBefore = rss();

    // Deliveries: per resourceVersion, when each stream got it; commits: when the writer's returned.
    const arrivals = new Map<string, number[]>();
    const commits = new Map<string, number>();
    let deliveries = 0;
    const hub = getChangeHub();
    const log = createLogger();
    const record = (rv: string) => {
      const at = performance.now();
      const list = arrivals.get(rv);
      if (list) list.push(at);
      else arrivals.set(rv, [at]);
      deliveries += 1;
    };
    const userOf = (s: number) =>
      s % 10 === 0 ? admin.id : (accounts[s % ACCOUNTS] as { ownerId: string }).ownerId;
    if (TRANSPORT === "http") {
      // Each stream a real loopback request with its user's API token (re-checked every 5 s).
      server = await serveStreams();
      const port = (server.address() as AddressInfo).port;
      const tokens = new Map<string, string>();
      tokens.set(admin.id, await createTestToken({ userId: admin.id, accountId: platform.id }));
      for (const a of accounts)
        tokens.set(a.ownerId, await createTestToken({ userId: a.ownerId, accountId: a.id }));
      for (let s = 0; s < STREAMS; s++) {
        const token = tokens.get(userOf(s)) as string;
        const stop = new AbortController();
        stops.push(stop);
        running.push(openHttpStream(port, token, stop.signal, record));
      }
    } else {
      for (let s = 0; s < STREAMS; s++) {
        const userId = userOf(s);
        const sessionId = await createUserSession({ userId, ip: null, userAgent: null, maxAgeSeconds: 3600 });
        const stop = new AbortController();
        stops.push(stop);
        running.push(
          runChangeStream({
            actor: { userId },
            requested: null,
            hub,
            send(frame) {
              if (!frame.startsWith("id: ") || !frame.includes("event: change")) return;
              record(frame.slice(4, frame.indexOf("\n")));
            },
            signal: stop.signal,
            stillSignedIn: () => {
              calls.checks += 1;
              return stillSignedIn({ userId, sessionId, ip: null, impersonation: null });
            },
            sessionCheckMs: SESSION_CHECK_MS,
            heartbeatMs: HEARTBEAT_MS,
            loadRoots,
            log,
          }),
        );
      }
    }
    while (hub.subscriberCount() < STREAMS) await new Promise((resolve) => setTimeout(resolve, 50));
    const rssOpen = rss();
    say(`  ${STREAMS} streams open; RSS ${rssBefore.toFixed(1)} MiB before, ${rssOpen.toFixed(1)} MiB after`);

    // The changes, at a steady rate.
    const q0 = { ...queries };
    const calls0 = { ...calls };
    const t0 = performance.now();
    const intervalMs = 1000 / RATE;
    let expected = 0;
    const perAccountStreams = (index: number) => {
      let n = 0;
      for (let s = 0; s < STREAMS; s++) if (s % 10 === 0 || s % ACCOUNTS === index) n += 1;
      return n;
    };
    const reach = accounts.map((_, i) => perAccountStreams(i));
    const writes: Promise<void>[] = [];
    for (let c = 0; c < CHANGES; c++) {
      const due = t0 + c * intervalMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const index = c % ACCOUNTS;
      const account = accounts[index] as { id: string };
      expected += reach[index] as number;
      writes.push(
        p
          .$transaction((tx) =>
            appendChange(tx, {
              kind: "Site",
              objectId: `benchsite${index}`,
              accountId: account.id,
              action: "UPDATED",
              data: { name: `site${index}`, change: c },
            }),
          )
          .then((id) => {
            commits.set(id.toString(), performance.now());
          }),
      );
    }
    await Promise.all(writes);
    const deadline = performance.now() + 15_000;
    while (deliveries < expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const rssAfter = rss();

    const latencies = new Float64Array(deliveries);
    let n = 0;
    for (const [rv, times] of arrivals) {
      const committed = commits.get(rv);
      if (committed === undefined) continue;
      for (const at of times) latencies[n++] = at - committed;
    }
    const sorted = latencies.subarray(0, n).sort();
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const feedPerSecond = (queries.feed - q0.feed) / seconds;
    const streamQueriesPerSecond = (queries.streams - q0.streams) / seconds;
    const checksPerSecond = (calls.checks - calls0.checks) / seconds;
    const rootsPerSecond = (calls.roots - calls0.roots) / seconds;

    say(`  deliveries: ${deliveries} of ${expected} expected over ${seconds.toFixed(1)} s`);
    say(
      `  delivery latency p50 ${p50.toFixed(0)} ms (target ≤ ${TARGET.p50Ms}: ${verdict(p50 <= TARGET.p50Ms)}), ` +
        `p95 ${p95.toFixed(0)} ms (target ≤ ${TARGET.p95Ms}: ${verdict(p95 <= TARGET.p95Ms)}), ` +
        `max ${(sorted[sorted.length - 1] ?? Number.NaN).toFixed(0)} ms`,
    );
    say(
      `  RSS ${rssAfter.toFixed(1)} MiB after the changes (target ≤ ${TARGET.rssMiB}: ${verdict(rssAfter <= TARGET.rssMiB)}); heap used ${mib(process.memoryUsage().heapUsed).toFixed(1)} MiB`,
    );
    say(
      `  DB queries/s: change-log reads ${feedPerSecond.toFixed(2)} (target ≤ ${TARGET.feedReadsPerSecond}, one per poll however many streams, give or take the one at either end: ${verdict(feedPerSecond <= TARGET.feedReadsPerSecond + 1 / seconds)})`,
    );
    say(
      `    streams' credential re-checks ${checksPerSecond.toFixed(1)}/s (target ≤ ${TARGET.checksPerSecond}, one per stream per ${SESSION_CHECK_MS / 1000} s as the route has it: ${verdict(checksPerSecond <= TARGET.checksPerSecond * 1.1)}), membership re-reads ${rootsPerSecond.toFixed(1)}/s (target ≤ ${TARGET.rootsPerSecond.toFixed(1)}, one per stream a minute without a membership change: ${verdict(rootsPerSecond <= TARGET.rootsPerSecond * 1.1)})`,
    );
    say(
      `    the streams' queries for those: ${streamQueriesPerSecond.toFixed(1)}/s (${(streamQueriesPerSecond / Math.max(checksPerSecond + rootsPerSecond, 0.001)).toFixed(1)} per call)`,
    );
    say(
      `  for comparison, one poll per stream per second (before the hub) would be ≥ ${STREAMS} change-log queries/s`,
    );
  } finally {
    for (const stop of stops) stop.abort();
    await Promise.allSettled(running);
    server?.closeAllConnections();
    await Promise.allSettled([...handlers]);
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await resetChangeHub();
    setPrismaClient(undefined);
    await counted.$disconnect();
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
