/**
 * WordPress on the real node: `npm run bench:node` (BENCH_SITES=3 npm run bench:node for a quick run).
 *
 * Against the local cluster's real node (which must already be running: this bench never starts or
 * stops it) and a fresh MariaDB database, it starts the reconciler, then creates BENCH_SITES
 * WordPress sites for one customer account all at once (concurrent inserts, the way a burst of
 * sign-ups arrives), and measures each site's own create-to-Ready time: from the site row's
 * createdAt to the first poll (every 200 ms) that sees its phase RUNNING. When every site runs it
 * waits BENCH_SETTLE_SECONDS and prints the memory of the node's own processes (VmRSS) and of each
 * idle site pod (its cgroup's working set: usage minus inactive file cache, what the kubelet reports).
 *
 * Not part of `npm test`: timings on a shared 2-core machine are figures to read, not assertions.
 *
 * Environment: BENCH_SITES (default 10), BENCH_SETTLE_SECONDS (default 15), BENCH_TIMEOUT_SECONDS
 * (deadline for every site to run, default 180 + 60 per site).
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { z } from "zod";
import { clusterPaths, localClusterEnv, readClusterFacts } from "@/cluster/cluster";
import { NODE_RUN_DIR } from "@/cluster/node";
import { accountNamespace, COMPONENT_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { type Reconciler, startReconciler } from "@/lib/reconciler/reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  randomSlug,
} from "@/lib/reconciler/test-support";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { percentile, rssBytes } from "./support";

// The reconciler logs every apply at info: those lines would bury the tables.
process.env.SITEPOD_LOG_LEVEL ??= "warn";

const Env = z.object({
  BENCH_SITES: z.coerce.number().int().min(1).max(100).default(10),
  BENCH_SETTLE_SECONDS: z.coerce.number().int().min(0).max(600).default(15),
  BENCH_TIMEOUT_SECONDS: z.coerce.number().int().min(10).optional(),
});

const POLL_MS = 200;
const MEMORY_CGROUP = "/sys/fs/cgroup/memory";
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = 2 ** 20;

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i] ?? 0) : v.padStart(widths[i] ?? 0))).join("  ");
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  for (const c of rows) process.stdout.write(`${line(c)}\n`);
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Pids of processes whose executable lives in `dir` (containerd and its shims). */
function processesFrom(dir: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number.parseInt(entry, 10);
    if (!(pid > 0)) continue;
    try {
      if (readlinkSync(`/proc/${pid}/exe`).startsWith(`${dir}/`)) out.push(pid);
    } catch {
      // Exited, or a kernel thread.
    }
  }
  return out;
}

interface ProcessRow {
  name: string;
  count: number;
  rss: number;
}

/** The node's processes from its pid files, plus containerd's shims (one per pod). */
function nodeProcesses(nodeBinDir: string): ProcessRow[] {
  const pidsDir = path.join(NODE_RUN_DIR, "pids");
  const rows: ProcessRow[] = [];
  const known = new Set<number>();
  for (const file of readdirSync(pidsDir)
    .filter((f) => f.endsWith(".pid"))
    .sort()) {
    const pid = readPid(path.join(pidsDir, file));
    const rss = pid === undefined ? undefined : rssBytes(pid);
    const name = file.replace(/\.pid$/, "");
    if (pid === undefined || rss === undefined) {
      // A stale pid file: the process died; the table says so rather than leaving it out.
      rows.push({ name: `${name} (NOT RUNNING)`, count: 0, rss: 0 });
      continue;
    }
    known.add(pid);
    rows.push({ name, count: 1, rss });
  }
  const shims = processesFrom(nodeBinDir).filter((pid) => !known.has(pid));
  const shimRss = shims.map(rssBytes).filter((r): r is number => r !== undefined);
  rows.push({
    name: "containerd-shim (all)",
    count: shimRss.length,
    rss: shimRss.reduce((a, b) => a + b, 0),
  });
  return rows;
}

interface CgroupMemory {
  usage: number;
  workingSet: number;
  rss: number;
  cache: number;
}

function cgroupMemory(dir: string): CgroupMemory {
  const usage = Number(readFileSync(path.join(dir, "memory.usage_in_bytes"), "utf8").trim());
  const stat = new Map<string, number>();
  for (const line of readFileSync(path.join(dir, "memory.stat"), "utf8").split("\n")) {
    const [key, value] = line.split(" ");
    if (key && value) stat.set(key, Number(value));
  }
  const inactiveFile = stat.get("total_inactive_file") ?? 0;
  return {
    usage,
    workingSet: Math.max(0, usage - inactiveFile),
    rss: stat.get("total_rss") ?? 0,
    cache: stat.get("total_cache") ?? 0,
  };
}

/** The pod's cgroup v1 memory directory (cgroupfs or systemd driver naming, any QoS class). */
function podCgroupDir(uid: string): string | undefined {
  const names = [`pod${uid}`, `kubepods-pod${uid.replace(/-/g, "_")}.slice`];
  for (const qos of ["", "burstable", "besteffort"]) {
    for (const name of names) {
      for (const root of ["kubepods", "kubepods.slice"]) {
        const dir = path.join(MEMORY_CGROUP, root, qos, name);
        if (existsSync(dir)) return dir;
      }
    }
  }
  return undefined;
}

async function main(): Promise<number> {
  const env = Env.parse(process.env);
  const siteCount = env.BENCH_SITES;
  const timeoutMs = (env.BENCH_TIMEOUT_SECONDS ?? 180 + 60 * siteCount) * 1000;

  const facts = readClusterFacts();
  const paths = clusterPaths();
  const kubeletPid = readPid(path.join(NODE_RUN_DIR, "pids", "kubelet.pid"));
  if (
    !facts?.realNode ||
    !existsSync(facts.kubeconfig) ||
    kubeletPid === undefined ||
    !rssBytes(kubeletPid)
  ) {
    say(
      "the local cluster's real node is not running (no cluster facts, kubeconfig or live kubelet): " +
        "start it with `npm run cluster:up` and run the bench again. This bench never starts it.",
    );
    return 2;
  }
  Object.assign(process.env, localClusterEnv(facts));
  process.env.KUBECONFIG = facts.kubeconfig;
  const kc = new KubeConfig();
  kc.loadFromFile(facts.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);

  let db: TestDatabase | undefined;
  let reconciler: Reconciler | undefined;
  const namespaces: string[] = [];
  try {
    db = await createTestDatabase();
    const prisma = db.prisma;
    const account = await createCustomerAccount(prisma, randomSlug("benchwp"));
    const namespace = accountNamespace(account.slug);
    namespaces.push(namespace);

    reconciler = await startReconciler({ prisma, kubeConfig: kc });
    say(
      `database ${db.name}, namespace ${namespace}: reconciler started; creating ${siteCount} sites at once`,
    );

    const created = await Promise.all(
      Array.from({ length: siteCount }, (_v, i) =>
        createSiteRow(prisma, {
          accountId: account.id,
          name: `wp${i}`,
          domain: `wp${i}.${account.slug}.bench.test`,
        }),
      ),
    );
    const siteIds = created.map((s) => s.id);

    // Create-to-Ready per site: createdAt (set by MariaDB, same machine clock) to the first poll that
    // sees RUNNING.
    const readyMs = new Map<string, number>();
    const deadline = Date.now() + timeoutMs;
    let lastReport = 0;
    let phases: { id: string; name: string; phase: string; createdAt: Date }[] = [];
    while (readyMs.size < siteCount) {
      phases = await prisma.site.findMany({
        where: { id: { in: siteIds } },
        select: { id: true, name: true, phase: true, createdAt: true },
      });
      const now = Date.now();
      for (const s of phases) {
        if (s.phase === "RUNNING" && !readyMs.has(s.id)) readyMs.set(s.id, now - s.createdAt.getTime());
      }
      if (now > deadline) {
        const waiting = phases.filter((s) => !readyMs.has(s.id)).map((s) => `${s.name}=${s.phase}`);
        throw new Error(
          `${waiting.length} of ${siteCount} sites did not reach RUNNING within ${timeoutMs / 1000} s ` +
            `(${waiting.join(", ")}); raise BENCH_TIMEOUT_SECONDS or look at the site's conditions.`,
        );
      }
      if (now - lastReport > 15_000) {
        lastReport = now;
        say(`${readyMs.size}/${siteCount} RUNNING`);
      }
      await sleep(POLL_MS);
    }
    say(`all ${siteCount} RUNNING; letting the pods idle ${env.BENCH_SETTLE_SECONDS} s`);
    await sleep(env.BENCH_SETTLE_SECONDS * 1000);

    // Per-site pod memory, from the web pod's cgroup.
    const podRows: string[][] = [];
    const workingSets: number[] = [];
    for (const s of phases.sort((a, b) => a.name.localeCompare(b.name))) {
      const pods = await core.listNamespacedPod({
        namespace,
        labelSelector: `${SITE_LABEL}=${s.id},${COMPONENT_LABEL}=web`,
      });
      const pod = pods.items.find((p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp);
      const uid = pod?.metadata?.uid;
      const dir = uid ? podCgroupDir(uid) : undefined;
      if (!dir) {
        podRows.push([s.name, pod?.metadata?.name ?? "(no running web pod)", "-", "-", "-", "-"]);
        continue;
      }
      const m = cgroupMemory(dir);
      workingSets.push(m.workingSet);
      podRows.push([
        s.name,
        pod?.metadata?.name ?? "",
        fmt((readyMs.get(s.id) ?? Number.NaN) / 1000, 1),
        fmt(m.workingSet / MiB, 1),
        fmt(m.rss / MiB, 1),
        fmt(m.cache / MiB, 1),
      ]);
    }
    const nodeRows = nodeProcesses(paths.nodeBinDir);
    const allPods = existsSync(path.join(MEMORY_CGROUP, "kubepods"))
      ? cgroupMemory(path.join(MEMORY_CGROUP, "kubepods"))
      : undefined;

    const times = [...readyMs.values()].sort((a, b) => a - b);
    const ws = [...workingSets].sort((a, b) => a - b);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

    process.stdout.write(
      `\nWordPress on the real node: ${siteCount} sites created at once, one account, reconciler in-process (2 workers)\n`,
    );
    printTable(
      "Create-to-Ready (site row createdAt to phase RUNNING, polled every 200 ms)",
      ["measure", "seconds"],
      [
        ["p50", fmt(percentile(times, 50) / 1000, 1)],
        ["p95", fmt(percentile(times, 95) / 1000, 1)],
        ["max", fmt(percentile(times, 100) / 1000, 1)],
        ["min", fmt((times[0] ?? Number.NaN) / 1000, 1)],
      ],
    );
    printTable(
      `Idle site pods (${env.BENCH_SETTLE_SECONDS} s after all RUNNING; cgroup v1 memory)`,
      ["site", "pod", "ready s", "working set MiB", "rss MiB", "cache MiB"],
      podRows,
    );
    printTable(
      "Idle site pod working set",
      ["measure", "MiB"],
      [
        ["min", fmt((ws[0] ?? Number.NaN) / MiB, 1)],
        ["median", fmt(percentile(ws, 50) / MiB, 1)],
        ["max", fmt((ws[ws.length - 1] ?? Number.NaN) / MiB, 1)],
        [`total (${ws.length} pods)`, fmt(total(ws) / MiB, 1)],
      ],
    );
    printTable(
      "Node processes (VmRSS)",
      ["process", "count", "RSS MiB"],
      [
        ...nodeRows.map((r) => [r.name, String(r.count), fmt(r.rss / MiB, 1)]),
        [
          "total",
          String(total(nodeRows.map((r) => r.count))),
          fmt(total(nodeRows.map((r) => r.rss)) / MiB, 1),
        ],
      ],
    );
    if (allPods) {
      printTable(
        "Every pod on the node (kubepods cgroup: site pods, CoreDNS, Traefik, others' test pods)",
        ["measure", "MiB"],
        [
          ["working set", fmt(allPods.workingSet / MiB, 1)],
          ["rss", fmt(allPods.rss / MiB, 1)],
        ],
      );
    }
    return 0;
  } finally {
    say("cleaning up: reconciler, namespace, site databases, database");
    await reconciler?.stop();
    if (namespaces.length > 0) await deleteNamespaces(kc, namespaces);
    if (db) {
      await dropSiteDatabases(db.prisma);
      await db.drop();
    }
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
