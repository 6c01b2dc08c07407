/**
 * Chaos (issue 12): the reconciler as its own process (`npm run reconciler`), against the local
 * cluster's kwok nodes and the machine's MariaDB.
 *
 * - Killed with SIGKILL ten times at random moments while many sites provision and are changed
 *   and deleted: every site converges, no object or install Job is made twice, and no database,
 *   database user or namespace is left without its row.
 * - Two replicas with leader election: killing the leader hands over within the lease duration,
 *   and at no moment do both write.
 * - The cluster's API server stopped for 60 s (SITEPOD_CHAOS_OUTAGE_SECONDS) while sites are
 *   created, changed and deleted: every change is kept, the cluster shows as unreachable, the same
 *   reconciler process converges everything once the API server is back.
 *
 * SITEPOD_CHAOS_SITES sets the number of sites (default 200); SITEPOD_CHAOS_SEED replays a run's
 * random moments (each run prints its seed).
 */
import { randomBytes } from "node:crypto";
import { AppsV1Api, BatchV1Api, CoreV1Api, type KubeConfig } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_LABEL, accountNamespace, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { appendChange } from "@/lib/services/change-log/append-change";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { createSiteDbAdmin } from "@/lib/site-db/admin";
import { startApiServer, stopApiServer } from "@/cluster/cluster";
import { probeCluster } from "@/lib/k8s/cluster-probe";
import { testKubeConfig, useNamespace } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import {
  isRunning,
  killReconcilerProcess,
  type LogLine,
  logLines,
  type ReconcilerProcess,
  startReconcilerProcess,
  stopReconcilerProcess,
  tail,
} from "./test-process";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  ensureKwokStorageClass,
  eventually,
  kwokPlacementEnv,
  randomSlug,
  requestSiteDeletion,
} from "./test-support";

const SITES = Number(process.env.SITEPOD_CHAOS_SITES ?? 200);
const KILLS = 10;
/** The CPU a changed site asks for (sites start at 100m). */
const CHANGED_CPU = 300;

/** A small seeded generator (mulberry32), so that a failing run's random moments can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SiteUnderTest {
  id: string;
  name: string;
  accountId: string;
  app: "WORDPRESS" | "PHP";
  database: string;
  user: string;
}

/** What updateSite writes for a CPU change: the new value, the next generation, an UPDATED change. */
async function changeSiteCpu(db: TestDatabase, site: SiteUnderTest): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    await tx.site.update({
      where: { id: site.id },
      data: { cpuMillicores: CHANGED_CPU, generation: { increment: 1 } },
    });
    await appendChange(tx, {
      kind: "Site",
      objectId: site.id,
      accountId: site.accountId,
      action: "UPDATED",
      data: { settings: ["cpu"] },
    });
  });
}

/** Objects of one kind that carry a site label, grouped by site, across every namespace. */
function bySite(items: { metadata?: { name?: string; labels?: Record<string, string> } }[]) {
  const groups = new Map<string, string[]>();
  for (const item of items) {
    const site = item.metadata?.labels?.[SITE_LABEL];
    if (!site) continue;
    groups.set(site, [...(groups.get(site) ?? []), item.metadata?.name ?? ""]);
  }
  return groups;
}

describe("chaos: the reconciler killed with SIGKILL ten times while sites provision and change", () => {
  let db: TestDatabase;
  let kc: KubeConfig;
  const accounts: { id: string; slug: string }[] = [];
  const processes: ReconcilerProcess[] = [];

  beforeAll(async () => {
    kc = testKubeConfig();
    db = await createTestDatabase();
    await ensureKwokStorageClass(kc);
    for (let i = 0; i < Math.max(1, Math.ceil(SITES / 10)); i++) {
      accounts.push(await createCustomerAccount(db.prisma, randomSlug("chaos")));
    }
  });

  afterAll(async () => {
    for (const proc of processes) await stopReconcilerProcess(proc);
    if (kc)
      await deleteNamespaces(
        kc,
        accounts.map((a) => accountNamespace(a.slug)),
        { wait: false },
      );
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  it("every site converges, nothing is made twice and nothing is orphaned", async () => {
    const seed = Number(process.env.SITEPOD_CHAOS_SEED ?? randomBytes(4).readUInt32BE());
    process.stderr.write(`[chaos] ${SITES} sites, seed ${seed}\n`);
    const random = seededRandom(seed);
    // A prefix no other test uses: each site's database and user start with sp_<name>_.
    const prefix = `c${randomBytes(3).toString("hex")}`;

    const sites: SiteUnderTest[] = [];
    for (let i = 0; i < SITES; i++) {
      const account = accounts[i % accounts.length];
      if (!account) throw new Error("no account");
      const name = `${prefix}s${i}`;
      // One in four a WordPress site, whose install Job must run once whatever happens.
      const app = i % 4 === 0 ? "WORDPRESS" : "PHP";
      const { id } = await createSiteRow(db.prisma, {
        accountId: account.id,
        name,
        domain: `${name}.${account.slug}.chaos.test`,
        app,
      });
      const row = await db.prisma.site.findUniqueOrThrow({ where: { id } });
      const { database } = openSiteSecrets(row.secretsCiphertext);
      sites.push({ id, name, accountId: account.id, app, database: database.name, user: database.user });
    }
    // Changed at the third kill, deleted at the sixth, changed again (others) at the eighth.
    const shuffled = [...sites].sort(() => random() - 0.5);
    const changedEarly = shuffled.slice(0, Math.ceil(SITES / 10));
    const deleted = shuffled.slice(Math.ceil(SITES / 10), Math.ceil(SITES / 10) + Math.ceil(SITES / 20));
    const changedLate = shuffled.slice(
      Math.ceil(SITES / 10) + Math.ceil(SITES / 20),
      2 * Math.ceil(SITES / 10) + Math.ceil(SITES / 20),
    );
    const changed = new Set([...changedEarly, ...changedLate].map((s) => s.id));
    const deletedIds = new Set(deleted.map((s) => s.id));

    const env = { ...process.env, ...kwokPlacementEnv(), DATABASE_URL: db.url, SITEPOD_LOG_LEVEL: "warn" };
    const statusWrites = () => db.prisma.changeLog.count({ where: { action: "STATUS" } });

    for (let kill = 1; kill <= KILLS; kill++) {
      const proc = startReconcilerProcess(env);
      processes.push(proc);
      if (kill === 3) for (const site of changedEarly) await changeSiteCpu(db, site);
      if (kill === 6)
        for (const site of deleted) await requestSiteDeletion(db.prisma, site.id, site.accountId);
      if (kill === 8) for (const site of changedLate) await changeSiteCpu(db, site);
      // A random moment: right after the start (informers not yet synced), or once the process
      // has written a random number of statuses.
      const before = await statusWrites();
      const more = Math.floor(random() * Math.max(2, SITES / 8));
      await eventually(
        `reconciler ${kill} to write ${more} statuses`,
        async () => {
          if (!isRunning(proc)) throw new Error(`reconciler exited:\n${tail(proc)}`);
          return (await statusWrites()) >= before + more ? true : undefined;
        },
        300_000,
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\nreconciler output:\n${tail(proc)}`);
      });
      await killReconcilerProcess(proc);
    }

    const last = startReconcilerProcess(env);
    processes.push(last);
    const converged = await eventually(
      "every site to converge",
      async () => {
        if (!isRunning(last)) throw new Error(`reconciler exited:\n${tail(last)}`);
        const rows = await db.prisma.site.findMany({
          select: { id: true, phase: true, generation: true, observedGeneration: true },
        });
        const waiting = rows.filter(
          (r) => deletedIds.has(r.id) || r.phase !== "RUNNING" || r.observedGeneration !== r.generation,
        );
        if (waiting.length > 0) {
          throw new Error(
            `${waiting.length} sites not converged, e.g. ${waiting
              .slice(0, 3)
              .map((r) => `${r.id} ${r.phase} ${r.observedGeneration}/${r.generation}`)
              .join(", ")}`,
          );
        }
        return rows;
      },
      900_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nreconciler output:\n${tail(last)}`);
    });
    const live = sites.filter((s) => !deletedIds.has(s.id));
    expect(converged.map((r) => r.id).sort()).toEqual(live.map((s) => s.id).sort());

    // One Deployment, Service and volume per live site, none for a deleted one; each changed site's
    // PHP container asks for the new CPU.
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const labelSelector = SITE_LABEL;
    const deployments = (await apps.listDeploymentForAllNamespaces({ labelSelector })).items;
    const services = bySite((await core.listServiceForAllNamespaces({ labelSelector })).items);
    const volumes = bySite((await core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })).items);
    // Install Jobs only: WordPress's cron runs are the CronJob's Jobs, not the reconciler's.
    const jobs = bySite(
      (await batch.listJobForAllNamespaces({ labelSelector })).items.filter(
        (j) => !j.metadata?.ownerReferences?.some((r) => r.kind === "CronJob"),
      ),
    );
    const deploymentsBySite = bySite(deployments);
    for (const site of live) {
      expect(deploymentsBySite.get(site.id), site.name).toEqual([site.name]);
      expect(services.get(site.id), site.name).toEqual([site.name]);
      expect(volumes.get(site.id), site.name).toEqual([`${site.name}-files`]);
      // WordPress installed once: only the first generation's install Job, ever.
      expect(jobs.get(site.id) ?? [], site.name).toEqual(
        site.app === "WORDPRESS" ? [`${site.name}-install-1`] : [],
      );
      const deployment = deployments.find((d) => d.metadata?.labels?.[SITE_LABEL] === site.id);
      const php = deployment?.spec?.template.spec?.containers.find((c) => c.name === "php");
      expect(php?.resources?.requests?.cpu, site.name).toBe(
        changed.has(site.id) ? `${CHANGED_CPU}m` : "100m",
      );
    }
    for (const site of deleted) {
      for (const objects of [deploymentsBySite, services, volumes, jobs]) {
        expect(objects.get(site.id), site.name).toBeUndefined();
      }
    }
    const installs = await db.prisma.site.findMany({
      where: { app: "WORDPRESS" },
      select: { name: true, installGeneration: true },
    });
    expect(installs.filter((s) => s.installGeneration !== 1)).toEqual([]);

    // Exactly the live sites' databases and users on the server: none twice, none orphaned.
    const admin = createSiteDbAdmin();
    try {
      const like = `sp\\_${prefix}%`;
      const schemas = (await admin.query(
        "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
        [like],
      )) as { name: string }[];
      expect(schemas.map((s) => s.name).sort()).toEqual(live.map((s) => s.database).sort());
      const users = (await admin.query("SELECT User AS user FROM mysql.user WHERE User LIKE ?", [like])) as {
        user: string;
      }[];
      expect(users.map((u) => u.user).sort()).toEqual(live.map((s) => s.user).sort());
    } finally {
      await admin.close();
    }

    // One namespace per account, and none for anything else this test made.
    const namespaces = (await core.listNamespace({ labelSelector: ACCOUNT_LABEL })).items
      .map((n) => n.metadata?.name ?? "")
      .filter((n) => accounts.some((a) => n.includes(a.slug)));
    expect(namespaces.sort()).toEqual(accounts.map((a) => accountNamespace(a.slug)).sort());
  }, 1_800_000);
});

describe("chaos: two reconciler replicas with leader election", () => {
  const lease = useNamespace("lease");
  let db: TestDatabase;
  let kc: KubeConfig;
  let account: { id: string; slug: string };
  const processes: ReconcilerProcess[] = [];

  beforeAll(async () => {
    kc = testKubeConfig();
    db = await createTestDatabase();
    await ensureKwokStorageClass(kc);
    account = await createCustomerAccount(db.prisma, randomSlug("lead"));
  });

  afterAll(async () => {
    for (const proc of processes) await stopReconcilerProcess(proc);
    if (kc && account) await deleteNamespaces(kc, [accountNamespace(account.slug)]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  /** The reconciler's writes: an apply, a delete, or a status written to MySQL. */
  const writes = (lines: LogLine[]) =>
    lines.filter((l) => l.msg === "applied" || l.msg === "deleted" || l.msg === "site status");
  const becameLeader = (proc: ReconcilerProcess) => logLines(proc).find((l) => l.msg === "became leader");

  async function createSites(names: string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const name of names) {
      const { id } = await createSiteRow(db.prisma, {
        accountId: account.id,
        name,
        domain: `${name}.${account.slug}.lease.test`,
        app: "PHP",
      });
      ids.push(id);
    }
    return ids;
  }

  async function running(ids: string[], procs: ReconcilerProcess[]): Promise<void> {
    await eventually(
      `sites ${ids.join(", ")} to be RUNNING`,
      async () => {
        const rows = await db.prisma.site.findMany({ where: { id: { in: ids } }, select: { phase: true } });
        return rows.length === ids.length && rows.every((r) => r.phase === "RUNNING") ? true : undefined;
      },
      180_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${procs.map((p) => tail(p)).join("\n---\n")}`);
    });
  }

  it("hands over within the lease duration when the leader is killed, and never has two writers", async () => {
    const env = {
      ...process.env,
      ...kwokPlacementEnv(),
      DATABASE_URL: db.url,
      SITEPOD_LEADER_ELECTION: "1",
      SITEPOD_NAMESPACE: lease.name,
      SITEPOD_LOG_LEVEL: "info",
    };
    const a = startReconcilerProcess(env);
    const b = startReconcilerProcess(env);
    processes.push(a, b);

    const leader = await eventually("a leader", () =>
      becameLeader(a) ? a : becameLeader(b) ? b : undefined,
    );
    const follower = leader === a ? b : a;
    const prefix = `l${randomBytes(3).toString("hex")}`;
    await running(await createSites([`${prefix}a`, `${prefix}b`, `${prefix}c`]), [a, b]);
    expect(writes(logLines(leader)).length).toBeGreaterThan(0);
    expect(writes(logLines(follower))).toEqual([]);
    expect(becameLeader(follower)).toBeUndefined();

    const killedAt = Date.now();
    await killReconcilerProcess(leader);
    await running(await createSites([`${prefix}d`, `${prefix}e`]), [follower]);

    const took = Date.parse((becameLeader(follower) as LogLine).time) - killedAt;
    // The lease lasts 15 s from its last renewal (at most 2 s before the kill); the follower tries
    // every 2 s.
    expect(took).toBeLessThanOrEqual(17_000 + 1_000);
    // Every write of the follower came after the leader was dead.
    const followerWrites = writes(logLines(follower));
    expect(followerWrites.length).toBeGreaterThan(0);
    expect(followerWrites.filter((l) => Date.parse(l.time) < killedAt)).toEqual([]);
  }, 300_000);
});

describe("chaos: the cluster's API server stopped while sites are created, changed and deleted", () => {
  const OUTAGE_MS = Number(process.env.SITEPOD_CHAOS_OUTAGE_SECONDS ?? 60) * 1000;
  let db: TestDatabase;
  let kc: KubeConfig;
  let account: { id: string; slug: string };
  const processes: ReconcilerProcess[] = [];
  let apiServerDown = false;

  beforeAll(async () => {
    kc = testKubeConfig();
    db = await createTestDatabase();
    await ensureKwokStorageClass(kc);
    account = await createCustomerAccount(db.prisma, randomSlug("outage"));
  });

  afterAll(async () => {
    // Whatever happened, the suites after this one need the API server.
    if (apiServerDown) await startApiServer();
    for (const proc of processes) await stopReconcilerProcess(proc);
    if (kc && account) await deleteNamespaces(kc, [accountNamespace(account.slug)]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  async function createSites(names: string[]): Promise<SiteUnderTest[]> {
    const sites: SiteUnderTest[] = [];
    for (const name of names) {
      const { id } = await createSiteRow(db.prisma, {
        accountId: account.id,
        name,
        domain: `${name}.${account.slug}.outage.test`,
        app: "PHP",
      });
      const row = await db.prisma.site.findUniqueOrThrow({ where: { id } });
      const { database } = openSiteSecrets(row.secretsCiphertext);
      sites.push({
        id,
        name,
        accountId: account.id,
        app: "PHP",
        database: database.name,
        user: database.user,
      });
    }
    return sites;
  }

  it("keeps every change, shows the cluster unreachable, and converges after with the same reconciler", async () => {
    const env = { ...process.env, ...kwokPlacementEnv(), DATABASE_URL: db.url, SITEPOD_LOG_LEVEL: "warn" };
    const reconciler = startReconcilerProcess(env);
    processes.push(reconciler);
    const prefix = `o${randomBytes(3).toString("hex")}`;
    const before = await createSites([0, 1, 2, 3, 4, 5].map((i) => `${prefix}${i}`));
    const converged = (ids: string[]) =>
      eventually(
        "the sites to converge",
        async () => {
          if (!isRunning(reconciler)) throw new Error(`reconciler exited:\n${tail(reconciler)}`);
          const rows = await db.prisma.site.findMany({
            where: { accountId: account.id },
            select: { id: true, phase: true, generation: true, observedGeneration: true },
          });
          const done =
            rows.length === ids.length &&
            rows.every(
              (r) => ids.includes(r.id) && r.phase === "RUNNING" && r.observedGeneration === r.generation,
            );
          return done ? rows : undefined;
        },
        300_000,
      ).catch((err: unknown) => {
        throw new Error(`${String(err)}\nreconciler output:\n${tail(reconciler)}`);
      });
    await converged(before.map((s) => s.id));

    await stopApiServer();
    apiServerDown = true;
    const outageStarted = Date.now();
    // The panel goes on: new sites, changed ones, deleted ones, each written with its change.
    const added = await createSites([6, 7, 8, 9].map((i) => `${prefix}${i}`));
    const [changedA, changedB, deletedA, deletedB] = before;
    if (!changedA || !changedB || !deletedA || !deletedB) throw new Error("too few sites");
    await changeSiteCpu(db, changedA);
    await changeSiteCpu(db, changedB);
    await requestSiteDeletion(db.prisma, deletedA.id, account.id);
    await requestSiteDeletion(db.prisma, deletedB.id, account.id);
    // What the health page shows: the cluster is unreachable.
    expect(await probeCluster(kc)).toMatchObject({ state: "unreachable" });
    // The outage lasts its full length: the reconciler must ride it out, not merely a blip.
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))),
    );
    expect(isRunning(reconciler)).toBe(true);
    expect(await probeCluster(kc)).toMatchObject({ state: "unreachable" });

    await startApiServer();
    apiServerDown = false;
    const live = [...before.filter((s) => s !== deletedA && s !== deletedB), ...added];
    await converged(live.map((s) => s.id));
    expect(isRunning(reconciler)).toBe(true);

    const deployments = bySite(
      (
        await kc
          .makeApiClient(AppsV1Api)
          .listNamespacedDeployment({ namespace: accountNamespace(account.slug) })
      ).items,
    );
    expect([...deployments.keys()].sort()).toEqual(live.map((s) => s.id).sort());
    const deployment = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: changedA.name, namespace: accountNamespace(account.slug) });
    const php = deployment.spec?.template.spec?.containers.find((c) => c.name === "php");
    expect(php?.resources?.requests?.cpu).toBe(`${CHANGED_CPU}m`);
    const admin = createSiteDbAdmin();
    try {
      const schemas = (await admin.query(
        "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
        [`sp\\_${prefix}%`],
      )) as { name: string }[];
      expect(schemas.map((s) => s.name).sort()).toEqual(live.map((s) => s.database).sort());
    } finally {
      await admin.close();
    }
  }, 900_000);
});
