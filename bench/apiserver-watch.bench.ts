/**
 * hosting.sitepod.io API server benchmark: `npm run bench:watch`.
 *
 * One API server, in this process as the integration tests start it (tests/helpers/apiserver.ts),
 * on a fresh MariaDB database (dropped at the end). It seeds BENCH_SITES sites (default 10,000)
 * across BENCH_ACCOUNTS accounts (default 20), opens BENCH_WATCHERS concurrent watches (default
 * 1,000; each on one account's namespace, from a list's resourceVersion, with that account owner's
 * real API token) and then makes BENCH_CHANGES changes (default 10,000; a label set through the
 * service the API's PATCH uses, setApiObjectMeta, as each account's owner, BENCH_CONCURRENCY at a
 * time, default 8). It prints the event delivery latency (the service's return, i.e. after its
 * commit, to the event's arrival at each watcher: p50, p95, max; the clock is this process's, so
 * an event parsed before the service call's continuation ran can show a negative minimum)
 * and the process's RSS and heap before the watches open and after the changes; then the latency
 * of listing every site (one request, and pages of `limit=500` through `continue`) with a token
 * that sees them all.
 *
 * The watchers' own sockets live in this process too, so RSS and heap include them. Figures to
 * read, not assertions: not part of `npm test`.
 */
import { Agent, request as httpsRequest } from "node:https";
import { readFileSync } from "node:fs";
import { setPrismaClient } from "@/lib/db";
import type { Account } from "@/lib/generated/prisma/client";
import { setApiObjectMeta } from "@/lib/services/api-object/set-api-object-meta";
import { generateSiteSecrets, sealSiteSecrets } from "@/lib/services/site/site-secrets";
import {
  apiRequest,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestDatabase, createTestUser, type TestDatabase } from "@/tests/helpers/db";
import { intFromEnv, percentile } from "./support";

// Every request logs a line at info: a million would bury the figures.
process.env.SITEPOD_LOG_LEVEL ??= "warn";

const WATCHERS = intFromEnv("BENCH_WATCHERS", 1000);
const CHANGES = intFromEnv("BENCH_CHANGES", 10_000);
const SITES = intFromEnv("BENCH_SITES", 10_000);
const ACCOUNTS = Math.min(intFromEnv("BENCH_ACCOUNTS", 20), SITES);
const CONCURRENCY = intFromEnv("BENCH_CONCURRENCY", 8);
const PAGE = 500;
const G = "/apis/hosting.sitepod.io/v1alpha1";

const say = (line: string) => process.stdout.write(`${line}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

function memory(label: string) {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  say(`  memory ${label}: RSS ${mib(m.rss)}, heap used ${mib(m.heapUsed)} of ${mib(m.heapTotal)}`);
}

interface BenchAccount {
  account: Account;
  token: string;
  ownerId: string;
  siteIds: string[];
}

async function seed(prisma: TestDatabase["prisma"]) {
  const platform = await createTestAccount(prisma, { slug: "platform", kind: "PLATFORM" });
  const admin = await createTestUser(prisma, {
    email: "admin@platform.test",
    roles: [{ account: platform, role: "OWNER" }],
  });
  const allToken = await createTestToken({ userId: admin.id, accountId: platform.id });
  const accounts: BenchAccount[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const account = await createTestAccount(prisma, { slug: `bench${a}`, parent: platform });
    const owner = await createTestUser(prisma, {
      email: `owner${a}@bench.test`,
      roles: [{ account, role: "OWNER" }],
    });
    accounts.push({
      account,
      token: await createTestToken({ userId: owner.id, accountId: account.id }),
      ownerId: owner.id,
      siteIds: [],
    });
  }
  // Rows written directly (as the reconciler tests' createSiteRow does, without its change-log rows):
  // the server starts afterwards and reads them all into its cache.
  const secrets = sealSiteSecrets(generateSiteSecrets("bench", { user: "admin", email: "owner@bench.test" }));
  for (let start = 0; start < SITES; start += PAGE) {
    const batch = Array.from({ length: Math.min(PAGE, SITES - start) }, (_, k) => {
      const i = start + k;
      const owner = accounts[i % ACCOUNTS] as BenchAccount;
      const name = `s${String(i).padStart(5, "0")}`;
      return { accountId: owner.account.id, name };
    });
    await prisma.site.createMany({
      data: batch.map((s) => ({
        accountId: s.accountId,
        name: s.name,
        title: s.name,
        app: "PHP" as const,
        phpVersion: "8.4",
        conditions: [],
        secretsCiphertext: secrets,
      })),
    });
    const rows = await prisma.site.findMany({
      where: { OR: batch.map((s) => ({ accountId: s.accountId, name: s.name })) },
      select: { id: true, name: true, accountId: true },
    });
    for (const r of rows) accounts.find((a) => a.account.id === r.accountId)?.siteIds.push(r.id);
    await prisma.domain.createMany({
      data: rows.map((r) => ({
        siteId: r.id,
        hostname: `${r.name}.${r.accountId}.bench.test`,
        isPrimary: true,
      })),
    });
  }
  return { accounts, allToken };
}

/** One open watch: counts the events it gets and when, by change number (the `bench` label). */
function openWatch(
  server: TestApiServer,
  agent: Agent,
  ca: Buffer,
  path: string,
  token: string,
  onEvent: (change: number, at: number) => void,
  onRepeat: () => void,
) {
  return new Promise<{ close: () => void }>((resolve, reject) => {
    const req = httpsRequest(
      new URL(path, server.url),
      { agent, ca, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
        resolve({ close: () => req.destroy() });
        let buffer = "";
        // A later MODIFIED of the same site still carries its label: counted apart, not timed.
        const seen = new Set<string>();
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            const event = JSON.parse(line) as {
              type: string;
              object: { metadata?: { labels?: Record<string, string> } };
            };
            const label = event.type === "MODIFIED" ? event.object.metadata?.labels?.bench : undefined;
            if (label && !seen.has(label)) {
              seen.add(label);
              onEvent(Number(label), at);
            } else if (label) {
              onRepeat();
            }
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}

async function main() {
  say(
    `API server watch benchmark: ${WATCHERS} watchers, ${CHANGES} changes (${CONCURRENCY} at a time), ${SITES} sites in ${ACCOUNTS} accounts`,
  );
  const db = await createTestDatabase();
  process.env.DATABASE_URL = db.url;
  setPrismaClient(db.prisma);
  let server: TestApiServer | undefined;
  const watches: { close: () => void }[] = [];
  try {
    let t = performance.now();
    const { accounts, allToken } = await seed(db.prisma);
    say(`  seeded in ${ms(performance.now() - t)}`);
    t = performance.now();
    server = await startTestApiServer({ cache: { historySize: Math.max(10_000, CHANGES * 2) } });
    const running = server;
    say(`  server started (cache loaded) in ${ms(performance.now() - t)}`);
    memory("before the watches");

    const ca = readFileSync(running.caCert);
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const commitAt = new Float64Array(CHANGES).fill(Number.NaN);
    const changeAccount = new Int32Array(CHANGES);
    const watchersOf = new Int32Array(ACCOUNTS);
    // Deliveries: the change and its arrival time, written as they come.
    const capacity = Math.ceil(CHANGES * Math.ceil(WATCHERS / ACCOUNTS)) + 1;
    const gotChange = new Int32Array(capacity);
    const gotAt = new Float64Array(capacity);
    let delivered = 0;
    const onEvent = (change: number, at: number) => {
      if (delivered < capacity) {
        gotChange[delivered] = change;
        gotAt[delivered] = at;
      }
      delivered += 1;
    };
    let repeats = 0;
    const onRepeat = () => {
      repeats += 1;
    };

    t = performance.now();
    // Each watch starts at its namespace's current resourceVersion: no initial events.
    const versions: string[] = [];
    for (const owner of accounts) {
      const list = await apiRequest(running, {
        path: `${G}/namespaces/${owner.account.slug}/sites?limit=1`,
        token: owner.token,
      });
      versions.push((list.json() as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    }
    for (let start = 0; start < WATCHERS; start += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, WATCHERS - start) }, async (_, k) => {
          const a = (start + k) % ACCOUNTS;
          const owner = accounts[a] as BenchAccount;
          watches.push(
            await openWatch(
              running,
              agent,
              ca,
              `${G}/namespaces/${owner.account.slug}/sites?watch=true&resourceVersion=${versions[a]}&timeoutSeconds=3600`,
              owner.token,
              onEvent,
              onRepeat,
            ),
          );
          watchersOf[a] = (watchersOf[a] ?? 0) + 1;
        }),
      );
    }
    say(`  ${WATCHERS} watches open in ${ms(performance.now() - t)}`);
    memory("with the watches open");

    let expected = 0;
    let next = 0;
    t = performance.now();
    const patchErrors: string[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let change = next++; change < CHANGES; change = next++) {
          const a = change % ACCOUNTS;
          const owner = accounts[a] as BenchAccount;
          const siteId = owner.siteIds[Math.floor(change / ACCOUNTS) % owner.siteIds.length] as string;
          changeAccount[change] = a;
          try {
            await setApiObjectMeta({
              actor: { userId: owner.ownerId, ip: null },
              kind: "Site",
              objectId: siteId,
              meta: { labels: { bench: String(change) }, annotations: {}, managedFields: [] },
              recordChange: true,
            });
          } catch (err) {
            patchErrors.push(`${siteId}: ${String(err)}`);
          }
          commitAt[change] = performance.now();
        }
      }),
    );
    const changeTime = performance.now() - t;
    for (let change = 0; change < CHANGES; change++) expected += watchersOf[changeAccount[change] ?? 0] ?? 0;
    say(
      `  ${CHANGES} changes in ${ms(changeTime)} (${(CHANGES / (changeTime / 1000)).toFixed(0)}/s)${patchErrors.length ? `, ${patchErrors.length} failed, e.g. ${patchErrors[0]}` : ""}`,
    );
    const deadline = performance.now() + 120_000;
    while (delivered < expected && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    say(
      `  events delivered: ${delivered} of ${expected} expected (plus ${repeats} repeats of a change a watcher had seen), all by ${ms(performance.now() - t)}`,
    );
    const n = Math.min(delivered, capacity);
    const latencies = new Float64Array(n);
    for (let i = 0; i < n; i++) latencies[i] = (gotAt[i] ?? 0) - (commitAt[gotChange[i] ?? 0] ?? 0);
    latencies.sort();
    say(
      `  delivery latency (commit to event): p50 ${ms(percentile(latencies, 50))}, p95 ${ms(percentile(latencies, 95))}, max ${ms(latencies[n - 1] ?? Number.NaN)}, min ${ms(latencies[0] ?? Number.NaN)}`,
    );
    memory("after the changes");
    for (const w of watches) w.close();
    watches.length = 0;
    agent.destroy();

    say(`List latency for all ${SITES} sites (5 runs each):`);
    const whole: number[] = [];
    const paged: number[] = [];
    const pages: number[] = [];
    let items = 0;
    let pagedItems = 0;
    for (let run = 0; run < 5; run++) {
      t = performance.now();
      const res = await apiRequest(running, { path: `${G}/sites`, token: allToken });
      items = (res.json() as { items: unknown[] }).items.length;
      whole.push(performance.now() - t);
      t = performance.now();
      let cont = "";
      pagedItems = 0;
      do {
        const p0 = performance.now();
        const page = await apiRequest(running, {
          path: `${G}/sites?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ""}`,
          token: allToken,
        });
        pages.push(performance.now() - p0);
        const body = page.json() as { items: unknown[]; metadata: { continue?: string } };
        pagedItems += body.items.length;
        cont = body.metadata.continue ?? "";
      } while (cont);
      paged.push(performance.now() - t);
    }
    const sortedOf = (xs: number[]) => Float64Array.from(xs).sort();
    const w = sortedOf(whole);
    const pg = sortedOf(paged);
    const pp = sortedOf(pages);
    say(`  without limit (${items} items): median ${ms(percentile(w, 50))}, max ${ms(w[w.length - 1] ?? 0)}`);
    say(
      `  limit=${PAGE} through continue (${pagedItems} items): whole walk median ${ms(percentile(pg, 50))}; one page p50 ${ms(percentile(pp, 50))}, p95 ${ms(percentile(pp, 95))}`,
    );
  } finally {
    for (const w of watches) w.close();
    await server?.close();
    setPrismaClient(undefined);
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
