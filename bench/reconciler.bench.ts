/**
 * Reconciler benchmark: `npm run bench` (or `npm run bench -- --sites 200`).
 *
 * Against the local cluster and a fresh MariaDB database it seeds N sites across a few accounts,
 * starts the reconciler in a fresh process (as in production: its memory is the reconciler's, not
 * the seed's), and measures convergence to RUNNING, then a forced full resync over the
 * converged sites, then a second fresh process restarted on them (as after an upgrade or a
 * failover: every object listed at once). The resync and the restart are where the reconciler's
 * promises show: informers instead of GETs, no apply when the rendered object has not changed,
 * status written only on change. Those figures have zero targets and fail the run (exit 1); the
 * others are printed for comparison between runs.
 *
 * Not part of `npm test`: timings on a shared 2-core machine are figures to read, not assertions.
 *
 * The baseline: before Sitepod's run, the same number of sites (rows in a second database, rendered
 * by the same builders) is applied by a plain server-side-apply loop with the same concurrency
 * (bench/plain-apply.ts), timed to the same end (every Deployment available, every install Job
 * complete). The ratio of the two is Sitepod's provisioning throughput relative to the plain loop;
 * the target is at least 0.8.
 *
 * Sites are placed on kwok's simulated nodes (a node selector and a toleration, the settings an
 * operator would use) with a host-path StorageClass the bench makes, so the benchmark needs no
 * real node and leaves it alone; a cluster it starts itself has none (SITEPOD_REAL_NODE=no).
 *
 * Options: --sites N (default 50), --accounts N (default one per 10 sites), --workers N (default 2,
 * the reconciler's own default), --timeout-seconds N (convergence deadline, default 60 + 4 per site),
 * --baseline no (skip the plain loop: at thousands of sites it doubles the run), --rounds N (default
 * 3: after the detailed first round, timing-only rounds of both loops, alternating which goes first;
 * the result is the median ratio, as one round swings by a fifth on a shared machine), --keep yes
 * (leave the converged sites, their database and the cluster in place) and --restart-on <database>
 * (measure only a restart on what a --keep yes run left: minutes, where converging 5,000 sites
 * takes an hour). Issue 12's scale run: `npm run bench -- --sites 5000 --baseline no` (target: peak
 * RSS under 400 MiB, a forced resync writes nothing).
 */

import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeHeapSnapshot } from "node:v8";
import type { KubeConfig } from "@kubernetes/client-node";
import { build } from "esbuild";
import {
  PROCESS_ENV,
  PROCESS_NODE_ARGS,
  processBundleOptions,
  trimSourceMaps,
} from "@/scripts/bundle-options.mjs";
import { z } from "zod";
import { ensureCluster, stopCluster } from "@/cluster/cluster";
import type { ClusterWriter } from "@/lib/k8s/apply";
import { createClusterWriter } from "@/lib/k8s/apply";
import { createPrismaClient } from "@/lib/db";
import { loadKubeConfig } from "@/lib/k8s/client";
import { clusterSettingsFromEnv } from "@/lib/k8s/manifests/types";
import { type Reconciler, startReconciler } from "@/lib/reconciler/reconciler";
import { siteDefaultsFromEnv } from "@/lib/reconciler/site-spec";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  ensureKwokStorageClass,
  eventually,
  kwokPlacementEnv,
  randomSlug,
} from "@/lib/reconciler/test-support";
import { createTestDatabase, type TestDatabase, testDatabaseUrl } from "@/tests/helpers/db";
import { runPlainApplyLoop } from "./plain-apply";
import { percentile } from "./support";

// The reconciler logs every apply at info: thousands of lines would bury the table.
process.env.SITEPOD_LOG_LEVEL ??= "warn";

const Args = z.object({
  sites: z.coerce.number().int().min(1).max(10_000).default(50),
  accounts: z.coerce.number().int().min(1).max(1_000).optional(),
  /** `--baseline no` skips the plain loop (at thousands of sites it doubles the run). */
  baseline: z.enum(["yes", "no"]).default("yes"),
  workers: z.coerce.number().int().min(1).max(32).default(2),
  timeoutSeconds: z.coerce.number().int().min(10).optional(),
  /**
   * Rounds of the plain loop against Sitepod. One round swings by a fifth on a shared 2-core
   * machine (the scheduler's back-off, the real node's controllers); the ratio printed as the
   * result is the median of the rounds, the later ones alternating which of the two goes first.
   */
  rounds: z.coerce.number().int().min(1).max(9).default(3),
  /**
   * `--keep yes` leaves the detailed round's database and namespaces (and the cluster) in place,
   * and prints how to measure a restart on them again: at 5,000 sites converging takes an hour,
   * a restart minutes. Remove them with `npm run cluster:down` and the database by its name.
   */
  keep: z.enum(["yes", "no"]).default("no"),
  /**
   * `--restart-on <database>`: only a restart, on the converged sites a `--keep yes` run left in
   * that database (the cluster must still be running). Nothing is removed after.
   */
  restartOn: z
    .string()
    .regex(/^[a-z0-9_]+$/, "the database a --keep yes run printed")
    .optional(),
});
type Args = z.infer<typeof Args>;

function parseArgs(argv: string[]): Args {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? "";
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(flag);
    if (!match?.[1]) throw new Error(`unknown argument ${flag}`);
    const name = match[1].replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    raw[name] = value;
  }
  return Args.strict().parse(raw);
}

/** Every call the reconciler makes to the API server outside its informers. */
interface ApiCounts {
  apply: number;
  delete: number;
  read: number;
  list: number;
  /** Time spent waiting on these calls (summed over concurrent calls). */
  ms: number;
}

function countingWriter(inner: ClusterWriter, counts: ApiCounts): ClusterWriter {
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await call();
    } finally {
      counts.ms += performance.now() - started;
    }
  };
  return {
    ...inner,
    apply: (obj) => {
      counts.apply++;
      return timed(() => inner.apply(obj));
    },
    delete: (ref, policy) => {
      counts.delete++;
      return timed(() => inner.delete(ref, policy));
    },
    read: (ref) => {
      counts.read++;
      return timed(() => inner.read(ref));
    },
    list: (apiVersion, kind, selector) => {
      counts.list++;
      return timed(() => inner.list(apiVersion, kind, selector));
    },
  };
}

interface Memory {
  rssMiB: number;
  heapUsedMiB: number;
  /** What V8 holds for its heap, used or not. */
  heapTotalMiB: number;
  /** Memory outside V8's heap that JavaScript objects hold (Buffers: zlib's, the sockets'). */
  externalMiB: number;
}

/** After a full collection when run with --expose-gc (npm run bench is), so the heap is live data. */
function memory(): Memory {
  globalThis.gc?.();
  const m = process.memoryUsage();
  return {
    rssMiB: m.rss / 2 ** 20,
    heapUsedMiB: m.heapUsed / 2 ** 20,
    heapTotalMiB: m.heapTotal / 2 ** 20,
    externalMiB: m.external / 2 ** 20,
  };
}

interface Row {
  measure: string;
  figure: string;
  perSite?: string;
  /** A zero target: the run fails when the figure is not 0. */
  zeroTarget?: number;
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");
const joined = (values: number[], digits = 0) => values.map((v) => fmt(v, digits)).join(" / ");

function printTable(title: string, rows: Row[]): boolean {
  const cells = rows.map((r) => [
    r.measure,
    r.figure,
    r.perSite ?? "",
    r.zeroTarget === undefined ? "" : "0",
    r.zeroTarget === undefined ? "" : r.zeroTarget === 0 ? "PASS" : "FAIL",
  ]);
  const header = ["measure", "figure", "per site", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ");
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
  return rows.every((r) => r.zeroTarget === undefined || r.zeroTarget === 0);
}

/**
 * Statements the MariaDB server has run since it started (its `Questions` counter), whoever sent
 * them: on a machine running nothing else against it, the reconciler's and the bench's own.
 */
/** What a pass over converged sites did: every figure but notSynced has a target of zero. */
interface SteadyState {
  applies: number;
  hookApplies: number;
  deletes: number;
  reads: number;
  statusRows: number;
  changeRows: number;
  /** The event recorder's rows meanwhile: the cluster's warnings, no pass's write (no target). */
  clusterEventRows: number;
  /** Every row meanwhile by kind, action and writer, for telling a failure's writes apart. */
  rowsByKind: string;
  notSynced: number;
}

/**
 * The change-log rows written after `afterId`, told apart by writer. The event recorder
 * (lib/reconciler/event-recorder.ts) appends a STATUS row for each site the cluster reports a
 * Warning event on, with `events` in its data; it runs beside the passes and writes what the
 * cluster says (at 5,000 sites on kwok, hundreds a minute: repeats of the install pods'
 * FailedScheduling warnings from while their volumes were binding), so those rows are counted
 * apart from the passes' writes, which the zero targets are about.
 */
async function rowsWritten(
  prisma: TestDatabase["prisma"],
  afterId: bigint,
): Promise<Pick<SteadyState, "statusRows" | "changeRows" | "clusterEventRows" | "rowsByKind">> {
  const rows = await prisma.$queryRaw<
    Array<{ kind: string; action: string; events: bigint | number; n: bigint }>
  >`
    SELECT kind, action, COALESCE(JSON_EXISTS(data, '$.events'), 0) AS events, COUNT(*) AS n
    FROM ChangeLog WHERE id > ${afterId} GROUP BY kind, action, events ORDER BY n DESC`;
  let statusRows = 0;
  let changeRows = 0;
  let clusterEventRows = 0;
  for (const r of rows) {
    const n = Number(r.n);
    if (r.action === "STATUS" && Number(r.events) === 1) clusterEventRows += n;
    else {
      changeRows += n;
      if (r.action === "STATUS") statusRows += n;
    }
  }
  const rowsByKind =
    rows
      .map((r) => `${r.kind} ${r.action}${Number(r.events) === 1 ? " (cluster events)" : ""}: ${r.n}`)
      .join(", ") || "none";
  return { statusRows, changeRows, clusterEventRows, rowsByKind };
}

function noWriteRows(state: SteadyState, siteCount: number): Row[] {
  return [
    {
      measure: "server-side applies",
      figure: String(state.applies),
      perSite: fmt(state.applies / siteCount, 2),
      zeroTarget: state.applies,
    },
    { measure: "onApply hook calls", figure: String(state.hookApplies), zeroTarget: state.hookApplies },
    { measure: "deletes", figure: String(state.deletes), zeroTarget: state.deletes },
    {
      measure: "API reads outside informers (GET + LIST)",
      figure: String(state.reads),
      zeroTarget: state.reads,
    },
    {
      measure: "status writes (STATUS change-log rows)",
      figure: String(state.statusRows),
      zeroTarget: state.statusRows,
    },
    { measure: "change-log rows written", figure: String(state.changeRows), zeroTarget: state.changeRows },
    {
      measure: "cluster warnings recorded meanwhile (event recorder, not a pass)",
      figure: String(state.clusterEventRows),
    },
    { measure: "every change-log row meanwhile, by kind and action", figure: state.rowsByKind },
  ];
}

function memoryRows(before: Memory, after: Memory, siteCount: number, when: string): Row[] {
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return [
    {
      measure: `RSS before start / ${when} / peak`,
      figure: `${joined([before.rssMiB, after.rssMiB, peakRssMiB], 1)} MiB`,
    },
    {
      measure: "peak RSS against the target of 400 MiB",
      figure: `${fmt(peakRssMiB / 400, 2)}x ${peakRssMiB < 400 ? "PASS" : "ABOVE TARGET"}`,
    },
    {
      measure: `heap used before start / ${when} (growth per site)`,
      figure: `${joined([before.heapUsedMiB, after.heapUsedMiB], 1)} MiB`,
      perSite: `${fmt(((after.heapUsedMiB - before.heapUsedMiB) * 1024) / siteCount, 1)} KiB`,
    },
    {
      // RSS past these two is the process's code and what malloc keeps (freed or not).
      measure: `${when}: heap held by V8 / external (Buffers)`,
      figure: `${joined([after.heapTotalMiB, after.externalMiB], 1)} MiB`,
    },
  ];
}

function writeSnapshotIfAsked(name: string, say: (line: string) => void): void {
  const snapshotDir = process.env.SITEPOD_BENCH_HEAP_SNAPSHOT;
  if (snapshotDir) say(`heap snapshot: ${writeHeapSnapshot(join(snapshotDir, `${name}.heapsnapshot`))}`);
}

async function databaseStatements(prisma: TestDatabase["prisma"]): Promise<number> {
  const rows = await prisma.$queryRaw<Array<{ value: string }>>`
    SELECT VARIABLE_VALUE AS value FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'QUESTIONS'`;
  return Number(rows[0]?.value ?? Number.NaN);
}

/** Seeds `siteCount` WordPress sites over `accountCount` customer accounts. */
async function seedSites(
  prisma: TestDatabase["prisma"],
  siteCount: number,
  accountCount: number,
  prefix: string,
): Promise<{ accounts: Array<{ id: string; slug: string }>; siteIds: string[] }> {
  const accounts: Array<{ id: string; slug: string }> = [];
  for (let a = 0; a < accountCount; a++)
    accounts.push(await createCustomerAccount(prisma, randomSlug(prefix)));
  const siteIds: string[] = [];
  for (let i = 0; i < siteCount; i++) {
    const account = accounts[i % accountCount];
    if (!account) throw new Error("no account");
    const name = `site${i}`;
    const site = await createSiteRow(prisma, {
      accountId: account.id,
      name,
      domain: `${name}.${account.slug}.bench.test`,
    });
    siteIds.push(site.id);
  }
  return { accounts, siteIds };
}

/**
 * The plain server-side-apply loop over the same number of sites, in its own database and
 * namespaces, removed before Sitepod starts.
 */
async function runBaseline(options: RoundOptions): Promise<Awaited<ReturnType<typeof runPlainApplyLoop>>> {
  const { kc, siteCount, accountCount, say } = options;
  say(`plain server-side-apply loop: ${siteCount} sites, concurrency ${options.workers}`);
  const plainDb = await createTestDatabase();
  try {
    const plainSeed = await seedSites(plainDb.prisma, siteCount, accountCount, "plain");
    const plainNamespaces = plainSeed.accounts.map((a) => `sp-${a.slug}`);
    try {
      const plain = await runPlainApplyLoop({
        prisma: plainDb.prisma,
        kc,
        writer: countingWriter(createClusterWriter(kc), { apply: 0, delete: 0, read: 0, list: 0, ms: 0 }),
        settings: clusterSettingsFromEnv(),
        defaults: siteDefaultsFromEnv(),
        siteIds: plainSeed.siteIds,
        concurrency: options.workers,
        timeoutMs: options.convergeTimeoutMs,
      });
      say(`plain loop: ${plain.ms} ms; now Sitepod`);
      return plain;
    } finally {
      say("removing the plain loop's namespaces");
      await deleteNamespaces(kc, plainNamespaces);
    }
  } finally {
    await plainDb.drop();
  }
}

interface RoundOptions {
  kc: KubeConfig;
  siteCount: number;
  accountCount: number;
  workers: number;
  convergeTimeoutMs: number;
  say: (line: string) => void;
}

/** One round's two times: the plain loop's and Sitepod's, each to every site running. */
interface Round {
  plainMs: number;
  sitepodMs: number;
}

/**
 * A timing-only round of Sitepod: fresh rows, a reconciler started on them, the time until every
 * site is RUNNING, and everything removed again.
 */
async function timeSitepod(options: RoundOptions): Promise<number> {
  const { kc, siteCount, accountCount, say } = options;
  const db = await createTestDatabase();
  let reconciler: Reconciler | undefined;
  const namespaces: string[] = [];
  try {
    const { accounts, siteIds } = await seedSites(db.prisma, siteCount, accountCount, "bench");
    for (const a of accounts) namespaces.push(`sp-${a.slug}`);
    const started = Date.now();
    reconciler = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      workers: options.workers,
      resyncSeconds: 24 * 3600,
    });
    await eventually(
      `${siteCount} sites RUNNING`,
      async () =>
        (await db.prisma.site.count({ where: { id: { in: siteIds }, phase: "RUNNING" } })) === siteCount
          ? true
          : undefined,
      options.convergeTimeoutMs,
    );
    const ms = Date.now() - started;
    say(`Sitepod: ${ms} ms`);
    return ms;
  } finally {
    await reconciler?.stop();
    if (namespaces.length > 0) await deleteNamespaces(kc, namespaces);
    await dropSiteDatabases(db.prisma);
    await db.drop();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const siteCount = args.sites;
  const accountCount = Math.min(siteCount, args.accounts ?? Math.max(1, Math.ceil(siteCount / 10)));
  const convergeTimeoutMs = (args.timeoutSeconds ?? 60 + 4 * siteCount) * 1000;
  const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

  const measureDatabase = process.env[MEASURE_DATABASE_ENV];
  if (measureDatabase) {
    // The process that seeded the database started the cluster and set the environment.
    const measureOptions: RoundOptions = {
      kc: loadKubeConfig(process.env.KUBECONFIG),
      siteCount,
      accountCount,
      workers: args.workers,
      convergeTimeoutMs,
      say,
    };
    const measured =
      process.env[MEASURE_PHASE_ENV] === "restart"
        ? await measureRestart(args, measureOptions, measureDatabase)
        : await measureSitepod(args, measureOptions, measureDatabase);
    await new Promise<void>((resolve) =>
      process.send ? process.send(measured, () => resolve()) : resolve(),
    );
    process.disconnect?.();
    return measured.code;
  }

  // A cluster the bench starts itself has no real node: the sites run on kwok's nodes, and the
  // node's kube-proxy rewriting the firewall for every site's Service is load it does not measure
  // (at 1,000 sites, iptables-restore took a quarter of a core). A running cluster is used as it is.
  process.env.SITEPOD_REAL_NODE ??= "no";
  const cluster = await ensureCluster((line) => process.stderr.write(`[cluster] ${line}\n`));
  try {
    process.env.KUBECONFIG = cluster.kubeconfig;
    // As the reconciler's own process loads it (lib/reconciler/main.ts), connection reuse included.
    const kc = loadKubeConfig(cluster.kubeconfig);
    Object.assign(process.env, kwokPlacementEnv());
    await ensureKwokStorageClass(kc);
    const options: RoundOptions = {
      kc,
      siteCount,
      accountCount,
      workers: args.workers,
      convergeTimeoutMs,
      say,
    };
    if (args.restartOn !== undefined) {
      say(`a restart on the sites kept in ${args.restartOn}`);
      return (await measureInFreshProcess(args.restartOn, "restart", say)).code;
    }
    const first = await detailedRound(args, options);
    if (args.baseline === "no" || !first.round) return first.code;
    const rounds = [first.round];
    for (let r = 2; r <= args.rounds; r++) {
      say(`round ${r} of ${args.rounds}`);
      // Alternating which goes first: whatever the first of the two leaves behind (volumes being
      // deleted, the scheduler's back-off) weighs on both loops alike across the rounds.
      if (r % 2 === 0) {
        const sitepodMs = await timeSitepod(options);
        const plainMs = (await runBaseline(options)).ms;
        rounds.push({ plainMs, sitepodMs });
      } else {
        const plainMs = (await runBaseline(options)).ms;
        rounds.push({ plainMs, sitepodMs: await timeSitepod(options) });
      }
    }
    const ratios = rounds.map((r) => r.plainMs / r.sitepodMs);
    const median = [...ratios].sort((a, b) => a - b)[Math.floor((ratios.length - 1) / 2)] ?? Number.NaN;
    printTable(`Rounds: the plain loop against Sitepod, ${rounds.length} rounds`, [
      ...rounds.map((r, i) => ({
        measure: `round ${i + 1}: plain loop / Sitepod (throughput ratio)`,
        figure: `${fmt(r.plainMs)} / ${fmt(r.sitepodMs)} ms (${fmt(r.plainMs / r.sitepodMs, 2)})`,
      })),
      {
        measure: "throughput ratio: lowest / median / highest (target: median >= 0.8)",
        figure: `${joined([Math.min(...ratios), median, Math.max(...ratios)], 2)} ${median >= 0.8 ? "PASS" : "BELOW TARGET"}`,
      },
    ]);
    return first.code;
  } finally {
    // What --keep and --restart-on measure on stays.
    if (cluster.startedByUs && args.keep === "no" && args.restartOn === undefined) await stopCluster();
  }
}

/**
 * The first round, measured in detail: the plain loop, then Sitepod with its API calls, passes,
 * statements, CPU and memory counted, then a forced resync over the converged sites.
 */
async function detailedRound(args: Args, options: RoundOptions): Promise<{ code: number; round?: Round }> {
  const { kc, siteCount, accountCount, say } = options;
  let db: TestDatabase | undefined;
  const namespaces: string[] = [];
  try {
    db = await createTestDatabase();
    say(`database ${db.name}: seeding ${siteCount} sites across ${accountCount} accounts`);
    const { accounts } = await seedSites(db.prisma, siteCount, accountCount, "bench");
    for (const a of accounts) namespaces.push(`sp-${a.slug}`);

    // The baseline first, in its own database and namespaces, removed before Sitepod starts.
    const plain = args.baseline === "yes" ? await runBaseline(options) : undefined;

    // Sitepod in a fresh process, as the reconciler runs in production: this one's memory holds
    // the seed's and the plain loop's garbage (V8 keeps the pages it grew to), not the reconciler's.
    const measured = await measureInFreshProcess(db.name, "converge", say);
    if (plain) printAgainstPlain(plain, measured.convergeMs, siteCount);
    // Then a reconciler restarted on the converged sites, as after an upgrade or a failover: its
    // informers list everything at once, and its first passes must find nothing to do.
    const restarted = await measureInFreshProcess(db.name, "restart", say);
    return {
      code: Math.max(measured.code, restarted.code),
      ...(plain ? { round: { plainMs: plain.ms, sitepodMs: measured.convergeMs } } : {}),
    };
  } finally {
    if (args.keep === "yes" && db) {
      say(
        `kept database ${db.name}, its ${namespaces.length} namespaces and the cluster; a restart on them ` +
          `again: npm run bench -- --sites ${siteCount} --accounts ${accountCount} --workers ${args.workers} ` +
          `--restart-on ${db.name}`,
      );
      await db.prisma.$disconnect();
    } else {
      say("cleaning up: namespaces, site databases, database");
      // At a thousand sites the namespace controller takes longer than deleteNamespaces waits; the
      // databases are dropped whatever it says (a cluster the bench started is removed after).
      if (namespaces.length > 0)
        await deleteNamespaces(kc, namespaces).catch((err: unknown) =>
          say(`namespaces not gone yet: ${err}`),
        );
      if (db) {
        await dropSiteDatabases(db.prisma);
        await db.drop();
      }
    }
  }
}

/** What the measuring process reports back to the one that seeded its database. */
interface Measured {
  code: number;
  convergeMs: number;
}

const MEASURE_DATABASE_ENV = "SITEPOD_BENCH_MEASURE_DATABASE";
/** "converge" (measureSitepod) or "restart" (measureRestart). */
const MEASURE_PHASE_ENV = "SITEPOD_BENCH_MEASURE_PHASE";
type Phase = "converge" | "restart";

/**
 * This script bundled as the reconciler's process is (scripts/build-processes.mjs), so that the
 * process measuring it runs with node alone as the reconciler does, not under tsx (which keeps
 * every module's source and source map: about 95 MiB). The test helpers it shares with the
 * integration tests import vitest for hooks this process never calls: vitest is left out.
 */
async function bundleThisScript(): Promise<string> {
  const root = join(import.meta.dirname, "..");
  // In dist/ as the reconciler's bundle is: one folder below the repository, as bench/ is.
  const outfile = join(root, "dist", "reconciler.bench.mjs");
  const options = processBundleOptions(root);
  await build({
    ...options,
    // The stub below stands in for vitest.
    external: (options.external ?? []).filter((name) => name !== "vitest"),
    entryPoints: [fileURLToPath(import.meta.url)],
    outfile,
    plugins: [
      {
        name: "no-vitest",
        setup(b) {
          b.onResolve({ filter: /^vitest$/ }, () => ({ path: "vitest", namespace: "no-vitest" }));
          b.onLoad({ filter: /.*/, namespace: "no-vitest" }, () => ({
            contents: "export const afterAll = () => {}; export const beforeAll = () => {};",
          }));
        },
      },
    ],
  });
  trimSourceMaps([`${outfile}.map`]);
  return outfile;
}

/** Runs this script again on `database`'s seeded sites, to measure Sitepod alone in `phase`. */
async function measureInFreshProcess(
  database: string,
  phase: Phase,
  say: (line: string) => void,
): Promise<Measured> {
  const bundle = await bundleThisScript();
  say(`starting the reconciler in a fresh process on ${database} (${phase})`);
  return new Promise<Measured>((resolve, reject) => {
    let measured: Measured | undefined;
    // The node options the reconciler runs with (PROCESS_NODE_ARGS, source maps included).
    const child = spawn(
      process.execPath,
      [...PROCESS_NODE_ARGS, "--expose-gc", bundle, ...process.argv.slice(2)],
      {
        stdio: ["inherit", "inherit", "inherit", "ipc"],
        // The environment the reconciler runs in (PROCESS_ENV), then what tells this script what to measure.
        env: { ...process.env, ...PROCESS_ENV, [MEASURE_DATABASE_ENV]: database, [MEASURE_PHASE_ENV]: phase },
      },
    );
    child.on("message", (message: Measured) => {
      measured = message;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      measured
        ? resolve(measured)
        : reject(new Error(`the measuring process ended (exit ${code}) without a result`)),
    );
  });
}

/**
 * The measured run of Sitepod, in its own process on sites another process seeded: the
 * reconciler with its API calls, passes, statements, CPU and memory counted, then a forced resync
 * over the converged sites.
 */
/**
 * The reconciler as the measured phases start it: only a forced pass resyncs (so the steady-state
 * figures belong to that one pass), its API calls are counted into `api`, and its passes are
 * reported for this run's own sites and accounts only (other suites' objects on the shared cluster
 * wake it too).
 */
function startMeasured(
  prisma: ReturnType<typeof createPrismaClient>,
  kc: KubeConfig,
  workers: number,
  api: ApiCounts,
  on: {
    sites: ReadonlySet<string>;
    accounts: ReadonlySet<string>;
    apply: () => void;
    site: (id: string, outcome: string) => void;
    account: (id: string, outcome: string) => void;
  },
): Promise<Reconciler> {
  return startReconciler({
    prisma,
    kubeConfig: kc,
    workers,
    resyncSeconds: 24 * 3600,
    writer: countingWriter(createClusterWriter(kc), api),
    hooks: {
      onApply: on.apply,
      onReconciled: (id, result) => {
        if (on.sites.has(id)) on.site(id, result.outcome);
      },
      onAccountReconciled: (id, result) => {
        if (on.accounts.has(id)) on.account(id, result.outcome);
      },
    },
  });
}

async function measureSitepod(args: Args, options: RoundOptions, database: string): Promise<Measured> {
  const { kc, siteCount, accountCount, convergeTimeoutMs, say } = options;
  const prisma = createPrismaClient(testDatabaseUrl(database));
  let reconciler: Reconciler | undefined;
  try {
    const siteIds = (await prisma.site.findMany({ select: { id: true } })).map((s) => s.id);
    const ours = new Set(siteIds);
    const ourAccounts = new Set((await prisma.account.findMany({ select: { id: true } })).map((a) => a.id));

    const api: ApiCounts = { apply: 0, delete: 0, read: 0, list: 0, ms: 0 };
    let hookApplies = 0;
    // Passes in completion order; ours only (other suites' objects on the shared cluster wake it too).
    const sitePasses: Array<{ id: string; outcome: string }> = [];
    const accountPasses: Array<{ id: string; outcome: string }> = [];
    let lastPassAt = Date.now();
    const firstSynced = new Map<string, number>();

    const changeLogMax = async () => (await prisma.changeLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const changeRowsSince = (after: bigint, action?: "STATUS") =>
      prisma.changeLog.count({ where: { id: { gt: after }, ...(action ? { action } : {}) } });
    const runningCount = () => prisma.site.count({ where: { id: { in: siteIds }, phase: "RUNNING" } });

    const memBefore = memory();
    const statementsBefore = await databaseStatements(prisma);
    const seededLogId = await changeLogMax();
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    reconciler = await startMeasured(prisma, kc, args.workers, api, {
      sites: ours,
      accounts: ourAccounts,
      apply: () => {
        hookApplies++;
      },
      site: (id, outcome) => {
        lastPassAt = Date.now();
        sitePasses.push({ id, outcome });
        if (outcome === "synced" && !firstSynced.has(id)) firstSynced.set(id, Date.now() - started);
      },
      account: (id, outcome) => {
        lastPassAt = Date.now();
        accountPasses.push({ id, outcome });
      },
    });
    const startupMs = Date.now() - started;

    say(`reconciler started in ${startupMs} ms; waiting for ${siteCount} sites to run`);
    await eventually(
      `${siteCount} sites RUNNING`,
      async () => ((await runningCount()) === siteCount ? true : undefined),
      convergeTimeoutMs,
    );
    const convergeMs = Date.now() - started;
    const converged = {
      api: { ...api },
      passes: sitePasses.length,
      accountPasses: accountPasses.length,
      changeRows: await changeRowsSince(seededLogId),
      statusRows: await changeRowsSince(seededLogId, "STATUS"),
      stats: reconciler.stats(),
      cpu: process.cpuUsage(cpuBefore),
      statements: (await databaseStatements(prisma)) - statementsBefore,
    };

    // Late informer events (Deployment status, quota usage) still wake sites after the last one
    // runs; the forced resync is measured from a quiet queue so that its figures are its own. At
    // a thousand sites that is minutes of routine passes (the sites' follow-up passes wait behind
    // the urgent first ones): the wait is bounded as convergence is.
    const quietMs = 2_000;
    await eventually(
      "the reconciler to go quiet",
      () => (Date.now() - lastPassAt >= quietMs ? true : undefined),
      convergeTimeoutMs,
    );
    const settled = {
      api: { ...api },
      passes: sitePasses.length,
      changeRows: await changeRowsSince(seededLogId),
    };

    const resyncLogId = await changeLogMax();
    const resyncApi = { ...api };
    const resyncHookApplies = hookApplies;
    const sitePassMark = sitePasses.length;
    const accountPassMark = accountPasses.length;
    const resyncStarted = Date.now();
    await reconciler.resync();
    await eventually(
      "one pass over every site and account after the resync",
      () => {
        const sitesDone = new Set(sitePasses.slice(sitePassMark).map((p) => p.id)).size;
        const accountsDone = new Set(accountPasses.slice(accountPassMark).map((p) => p.id)).size;
        return sitesDone === siteCount && accountsDone === accountCount ? true : undefined;
      },
      // A resync pass reads its objects back from the packed cache: about 10 ms a site on a quiet
      // machine, several times that under load; bounded as convergence is at thousands of sites.
      Math.max(120_000, siteCount * 100),
    );
    const resyncMs = Date.now() - resyncStarted;
    const resyncPasses = sitePasses.slice(sitePassMark);
    const resync: SteadyState = {
      applies: api.apply - resyncApi.apply,
      hookApplies: hookApplies - resyncHookApplies,
      deletes: api.delete - resyncApi.delete,
      reads: api.read - resyncApi.read + (api.list - resyncApi.list),
      ...(await rowsWritten(prisma, resyncLogId)),
      notSynced: resyncPasses.filter((p) => p.outcome !== "synced").length,
    };
    const memAfter = memory();
    // Read before a heap snapshot, which takes memory of its own.
    const memRows = memoryRows(memBefore, memAfter, siteCount, "after resync");
    writeSnapshotIfAsked(`reconciler-${siteCount}`, say);

    const times = [...firstSynced.values()].sort((a, b) => a - b);
    const perSite = (n: number, digits = 1) => fmt(n / siteCount, digits);
    const writes = (c: ApiCounts) => c.apply + c.delete;
    process.stdout.write(
      `\nReconciler benchmark: ${siteCount} sites, ${accountCount} accounts, ${args.workers} workers\n`,
    );
    printTable("Convergence (reconciler start to every site RUNNING)", [
      { measure: "startup (informers synced, initial resync queued)", figure: `${fmt(startupMs)} ms` },
      { measure: "time to converge", figure: `${fmt(convergeMs)} ms`, perSite: `${perSite(convergeMs)} ms` },
      {
        measure: "site RUNNING after start: p50 / p95 / max",
        figure: `${joined([50, 95, 100].map((p) => percentile(times, p)))} ms`,
      },
      { measure: "site passes", figure: String(converged.passes), perSite: perSite(converged.passes) },
      { measure: "account passes", figure: String(converged.accountPasses) },
      {
        measure: "server-side applies",
        figure: String(converged.api.apply),
        perSite: perSite(converged.api.apply),
      },
      {
        measure: "API writes (applies + deletes)",
        figure: String(writes(converged.api)),
        perSite: perSite(writes(converged.api)),
      },
      {
        measure: "API reads outside informers (GET + LIST)",
        figure: String(converged.api.read + converged.api.list),
      },
      {
        measure: "status writes (STATUS change-log rows)",
        figure: String(converged.statusRows),
        perSite: perSite(converged.statusRows),
      },
      {
        measure: "change-log rows",
        figure: String(converged.changeRows),
        perSite: perSite(converged.changeRows),
      },
      {
        measure: "database statements (the whole MariaDB server's)",
        figure: String(converged.statements),
        perSite: perSite(converged.statements),
      },
      {
        measure: "this process's CPU time to converge (user + system; share of one core)",
        figure: `${fmt((converged.cpu.user + converged.cpu.system) / 1000)} ms (${fmt(
          (100 * (converged.cpu.user + converged.cpu.system)) / 1000 / convergeMs,
        )} %)`,
      },
      {
        measure: "time in API calls outside informers (summed)",
        figure: `${fmt(converged.api.ms)} ms`,
        perSite: `${perSite(converged.api.ms)} ms`,
      },
      {
        measure: "worker time busy (all passes' time / workers x time to converge)",
        figure: `${fmt(
          (100 * Object.values(converged.stats.passes).reduce((sum, p) => sum + p.ms, 0)) /
            (converged.stats.workers * convergeMs),
        )} %`,
      },
      ...Object.entries(converged.stats.passes).map(([kind, p]) => ({
        measure: `${kind} passes: count / failed / mean ms`,
        figure: `${p.count} / ${p.failed} / ${fmt(p.ms / Math.max(1, p.count), 1)}`,
      })),
      {
        measure: `settling (until ${quietMs / 1000} s quiet): site passes / API writes / change-log rows`,
        figure: joined([
          settled.passes - converged.passes,
          writes(settled.api) - writes(converged.api),
          settled.changeRows - converged.changeRows,
        ]),
      },
    ]);
    const steadyOk = printTable("Forced full resync over converged sites (steady state)", [
      {
        measure: "duration (resync() to a pass over every site and account)",
        figure: `${fmt(resyncMs)} ms`,
        perSite: `${perSite(resyncMs, 2)} ms`,
      },
      { measure: "site passes not ending synced", figure: String(resync.notSynced) },
      ...noWriteRows(resync, siteCount),
    ]);
    printTable("Memory of the process running the reconciler (started for it, seeded by another)", memRows);
    printTable("Ratios", [
      { measure: "convergence ms per site", figure: perSite(convergeMs) },
      { measure: "applies per site to converge", figure: perSite(converged.api.apply) },
      {
        measure: "steady-state applies per site",
        figure: perSite(resync.applies, 2),
        zeroTarget: resync.applies,
      },
      {
        measure: "steady-state API calls per site",
        figure: perSite(resync.applies + resync.deletes + resync.reads, 2),
      },
    ]);
    process.stdout.write(`\n${steadyOk ? "PASS" : "FAIL"}: steady-state zero-write targets\n`);
    return { code: steadyOk ? 0 : 1, convergeMs };
  } finally {
    await reconciler?.stop();
    await prisma.$disconnect();
  }
}

/**
 * A reconciler started on sites another one converged, as after an upgrade, a crash or a leader
 * handing over: its informers list every object at once, and its first pass over every site and
 * account must write nothing (the same zero targets as the forced resync). Its memory is what a
 * reconciler of that many sites holds from its start.
 */
async function measureRestart(args: Args, options: RoundOptions, database: string): Promise<Measured> {
  const { kc, siteCount, accountCount, convergeTimeoutMs, say } = options;
  const prisma = createPrismaClient(testDatabaseUrl(database));
  let reconciler: Reconciler | undefined;
  try {
    const ours = new Set((await prisma.site.findMany({ select: { id: true } })).map((s) => s.id));
    const ourAccounts = new Set((await prisma.account.findMany({ select: { id: true } })).map((a) => a.id));
    const api: ApiCounts = { apply: 0, delete: 0, read: 0, list: 0, ms: 0 };
    let hookApplies = 0;
    let notSynced = 0;
    const sitesPassed = new Set<string>();
    const accountsPassed = new Set<string>();
    const changeLogMax = async () => (await prisma.changeLog.aggregate({ _max: { id: true } }))._max.id ?? 0n;
    const logId = await changeLogMax();
    const memBefore = memory();
    const cpuBefore = process.cpuUsage();
    const started = Date.now();
    reconciler = await startMeasured(prisma, kc, args.workers, api, {
      sites: ours,
      accounts: ourAccounts,
      apply: () => {
        hookApplies++;
      },
      site: (id, outcome) => {
        sitesPassed.add(id);
        if (outcome !== "synced") notSynced++;
      },
      account: (id) => {
        accountsPassed.add(id);
      },
    });
    const startupMs = Date.now() - started;
    // Without a collection first: what the listing left, and its peak, apart from the passes'.
    const atSync = {
      rssMiB: process.memoryUsage().rss / 2 ** 20,
      peakMiB: process.resourceUsage().maxRSS / 1024,
    };
    say(
      `reconciler restarted in ${startupMs} ms (RSS ${fmt(atSync.rssMiB)} MiB, peak ${fmt(atSync.peakMiB)}); ` +
        "waiting for a pass over every site and account",
    );
    await eventually(
      "one pass over every site and account after the restart",
      () => (sitesPassed.size === siteCount && accountsPassed.size === accountCount ? true : undefined),
      convergeTimeoutMs,
    );
    const passMs = Date.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const state: SteadyState = {
      applies: api.apply,
      hookApplies,
      deletes: api.delete,
      reads: api.read + api.list,
      ...(await rowsWritten(prisma, logId)),
      notSynced,
    };
    const memRows = memoryRows(memBefore, memory(), siteCount, "after the pass");
    writeSnapshotIfAsked(`reconciler-restart-${siteCount}`, say);
    const ok = printTable(`Restart: a fresh reconciler on the ${siteCount} converged sites`, [
      { measure: "startup (informers listed and synced)", figure: `${fmt(startupMs)} ms` },
      {
        measure: "start to a pass over every site and account",
        figure: `${fmt(passMs)} ms`,
        perSite: `${fmt(passMs / siteCount, 2)} ms`,
      },
      {
        measure: "this process's CPU time to then (user + system)",
        figure: `${fmt((cpu.user + cpu.system) / 1000)} ms`,
        perSite: `${fmt((cpu.user + cpu.system) / 1000 / siteCount, 2)} ms`,
      },
      { measure: "site passes not ending synced", figure: String(notSynced) },
      ...noWriteRows(state, siteCount),
    ]);
    printTable("Memory of the restarted reconciler's process", [
      {
        measure: "RSS when the informers had listed / peak until then",
        figure: `${joined([atSync.rssMiB, atSync.peakMiB], 1)} MiB`,
      },
      ...memRows,
    ]);
    process.stdout.write(`\n${ok ? "PASS" : "FAIL"}: restart zero-write targets\n`);
    return { code: ok ? 0 : 1, convergeMs: passMs };
  } finally {
    await reconciler?.stop();
    await prisma.$disconnect();
  }
}

function printAgainstPlain(
  plain: Awaited<ReturnType<typeof runPlainApplyLoop>>,
  convergeMs: number,
  siteCount: number,
): void {
  const perSite = (n: number) => fmt(n / siteCount, 1);
  printTable("Against a plain server-side-apply loop (same objects, same concurrency)", [
    {
      measure: "plain loop: time to every site available",
      figure: `${fmt(plain.ms)} ms`,
      perSite: `${perSite(plain.ms)} ms`,
    },
    {
      measure: "plain loop: site available after start p50 / p95 / max",
      figure: `${joined([50, 95, 100].map((p) => percentile(plain.readyAfterMs, p)))} ms`,
    },
    {
      measure: "plain loop: server-side applies",
      figure: String(plain.applies),
      perSite: perSite(plain.applies),
    },
    { measure: "Sitepod: time to every site RUNNING", figure: `${fmt(convergeMs)} ms` },
    { measure: "Sitepod time / plain loop time", figure: `${fmt(convergeMs / plain.ms, 2)}x` },
    {
      measure: "Sitepod throughput / plain loop throughput (this round; target: the rounds' median)",
      figure: fmt(plain.ms / convergeMs, 2),
    },
  ]);
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
