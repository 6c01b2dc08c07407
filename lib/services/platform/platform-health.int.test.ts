/**
 * The platform health page's data against a real MariaDB: the reconciler's liveness from the
 * heartbeat rows a real heartbeat loop writes (fresh, stale, stopped, waiting for the Lease), sites
 * by phase, degraded sites with reasons, database servers' reachability, and who may see it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { ReconcilerStats } from "@/lib/reconciler/reconciler";
import { HEARTBEAT_FORGET_MS, HEARTBEAT_STALE_MS } from "@/lib/health/reconciler-liveness";
import type { ClusterProbe } from "@/lib/k8s/cluster-probe";
import { log } from "@/lib/log";
import { startHeartbeat } from "@/lib/reconciler/heartbeat";
import { getPlatformHealth } from "@/lib/services/platform/get-platform-health";
import { createSite } from "@/lib/services/site/create-site";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

const cluster: ClusterProbe = {
  state: "ready",
  server: "https://k8s.test:6443",
  version: "v1.36.1",
  latencyMs: 4,
};
const probe = async () => cluster;

const stats: ReconcilerStats = {
  queue: { ready: 4, delayed: 1, processing: 2 },
  workers: 2,
  passes: { site: { count: 12, failed: 2, ms: 600 }, account: { count: 3, failed: 0, ms: 30 } },
};

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

function health(now: Date, userId = t.platformOwner.id) {
  return getPlatformHealth({ actor: { userId }, now, probe });
}

describe("reconciler liveness from the heartbeat", () => {
  it("is never reported before any reconciler ran", async () => {
    expect((await health(new Date())).reconciler).toEqual({ state: "never" });
  });

  it("is up and leading from a live heartbeat, with its queue and passes; down since its last beat once it is stale", async () => {
    let clock = new Date("2026-12-12T10:00:00.000Z");
    const heartbeat = startHeartbeat({
      prisma: db().prisma,
      identity: "reconciler-a-1",
      report: () => ({ leader: true, stats }),
      log,
      intervalMs: 60_000,
      now: () => clock,
    });
    await heartbeat.beat();
    clock = new Date(clock.getTime() + 5_000);
    await heartbeat.beat();
    const beatAt = clock;

    const up = await health(new Date(beatAt.getTime() + 3_000));
    expect(up.reconciler).toMatchObject({
      state: "up",
      standby: 0,
      leader: {
        holder: "reconciler-a-1",
        leader: true,
        startedAt: "2026-12-12T10:00:00.000Z",
        beatAt: beatAt.toISOString(),
        queue: { ready: 4, delayed: 1, processing: 2, total: 7 },
        workers: 2,
        passes: stats.passes,
      },
    });

    // The process died: no more beats. Until the stale bound it still counts as up.
    expect((await health(new Date(beatAt.getTime() + HEARTBEAT_STALE_MS - 1))).reconciler.state).toBe("up");
    expect((await health(new Date(beatAt.getTime() + HEARTBEAT_STALE_MS))).reconciler).toMatchObject({
      state: "down",
      since: beatAt.toISOString(),
      stopped: false,
    });

    // A clean stop says so at once.
    clock = new Date(beatAt.getTime() + 1_000);
    await heartbeat.stop();
    expect((await health(new Date(clock.getTime() + 1))).reconciler).toMatchObject({
      state: "down",
      stopped: true,
      since: clock.toISOString(),
    });
  });

  it("says no leader while the only live instance waits for the Lease, and up once it leads", async () => {
    const now = new Date("2026-12-12T11:00:00.000Z");
    let leader = false;
    const heartbeat = startHeartbeat({
      prisma: db().prisma,
      identity: "reconciler-b-1",
      report: () => ({ leader, stats: leader ? stats : null }),
      log,
      intervalMs: 60_000,
      now: () => now,
    });
    await heartbeat.beat();
    expect((await health(now)).reconciler).toMatchObject({
      state: "no-leader",
      instances: [{ holder: "reconciler-b-1", queue: { total: 0 } }],
    });
    leader = true;
    await heartbeat.beat();
    expect((await health(now)).reconciler).toMatchObject({
      state: "up",
      leader: { holder: "reconciler-b-1" },
    });
    await heartbeat.stop();
  });

  it("beats on its own every interval until stopped", async () => {
    const heartbeat = startHeartbeat({
      prisma: db().prisma,
      identity: "reconciler-c-1",
      report: () => ({ leader: true, stats }),
      log,
      intervalMs: 50,
    });
    const beats = async () =>
      (await db().prisma.reconcilerHeartbeat.findUnique({ where: { holder: "reconciler-c-1" } }))?.beatAt;
    await expect.poll(beats, { timeout: 5_000 }).toBeDefined();
    const first = (await beats())?.getTime() ?? 0;
    await expect.poll(async () => (await beats())?.getTime() ?? 0, { timeout: 5_000 }).toBeGreaterThan(first);
    await heartbeat.stop();
    const row = await db().prisma.reconcilerHeartbeat.findUniqueOrThrow({
      where: { holder: "reconciler-c-1" },
    });
    expect(row.stoppedAt).not.toBeNull();
    expect(row.leader).toBe(false);
  });

  it("forgets the rows of processes gone for a week", async () => {
    const now = new Date();
    await db().prisma.reconcilerHeartbeat.create({
      data: {
        holder: "long-gone",
        leader: true,
        startedAt: new Date(now.getTime() - HEARTBEAT_FORGET_MS - 60_000),
        beatAt: new Date(now.getTime() - HEARTBEAT_FORGET_MS - 1),
      },
    });
    const heartbeat = startHeartbeat({
      prisma: db().prisma,
      identity: "reconciler-d-1",
      report: () => ({ leader: false, stats: null }),
      log,
      intervalMs: 60_000,
    });
    await heartbeat.beat();
    await heartbeat.stop();
    expect(await db().prisma.reconcilerHeartbeat.findUnique({ where: { holder: "long-gone" } })).toBeNull();
  });
});

describe("sites, degraded sites and database servers", () => {
  it("counts sites by phase and lists the degraded ones with the reconciler's reason", async () => {
    const p = db().prisma;
    const make = async (name: string) =>
      (
        await createSite({
          // Globex's reseller has no allotment: sites need no plan there.
          actor: { userId: t.resBAdmin.id },
          accountId: t.globex.id,
          input: { name, domain: `${name}.example.test` },
        })
      ).site;
    const running = await make("running-one");
    const broken = await make("broken-one");
    const leaving = await make("leaving-one");
    await make("new-one");
    await p.site.update({ where: { id: running.id }, data: { phase: "RUNNING" } });
    await p.site.update({
      where: { id: broken.id },
      data: {
        phase: "DEGRADED",
        conditions: [
          {
            type: "Degraded",
            status: "True",
            reason: "CrashLoopBackOff",
            message: "php-fpm exits at start: out of memory",
            lastTransitionTime: "2026-12-12T09:58:00.000Z",
            observedGeneration: 1,
          },
        ],
      },
    });
    await p.site.update({ where: { id: leaving.id }, data: { deletionRequestedAt: new Date() } });

    const view = await health(new Date());
    expect(view.sites).toEqual({
      total: 4,
      byPhase: { PROVISIONING: 1, RUNNING: 1, DEGRADED: 1, SUSPENDED: 0, DELETING: 1 },
    });
    expect(view.degradedSites).toEqual([
      {
        id: broken.id,
        name: "broken-one",
        accountSlug: t.globex.slug,
        accountName: "Globex",
        reason: "CrashLoopBackOff",
        message: "php-fpm exits at start: out of memory",
        since: "2026-12-12T09:58:00.000Z",
      },
    ]);
    expect(view.cluster).toEqual(cluster);
  });

  it("shows each database server as the reconciler last reached it", async () => {
    const p = db().prisma;
    const checkedAt = new Date("2026-12-12T09:59:00.000Z");
    await p.databaseServer.create({
      data: {
        name: "Down MariaDB",
        engine: "MYSQL",
        host: "db.internal",
        port: 3306,
        adminUser: "root",
        lastCheckedAt: checkedAt,
        conditions: [
          {
            type: "Ready",
            status: "False",
            reason: "Unreachable",
            message: "connect ECONNREFUSED 10.0.0.5:3306",
            lastTransitionTime: checkedAt.toISOString(),
            observedGeneration: 0,
          },
        ],
      },
    });
    await p.databaseServer.create({
      data: {
        name: "New PostgreSQL",
        engine: "POSTGRESQL",
        host: "pg.internal",
        port: 5432,
        adminUser: "postgres",
      },
    });
    const view = await health(new Date());
    expect(view.databaseServers).toEqual([
      expect.objectContaining({
        name: "Down MariaDB",
        reachable: false,
        statusMessage: "connect ECONNREFUSED 10.0.0.5:3306",
        lastCheckedAt: checkedAt.toISOString(),
      }),
      expect.objectContaining({ name: "New PostgreSQL", reachable: null, lastCheckedAt: null }),
    ]);
    expect(JSON.stringify(view)).not.toContain("adminPassword");
  });
});

describe("who sees it", () => {
  it("answers the platform's members, viewers included", async () => {
    const viewer = await createTestUser(db().prisma, {
      email: "viewer@platform.test",
      roles: [{ account: t.platform, role: "VIEWER" }],
    });
    expect((await health(new Date(), viewer.id)).sites.total).toBeGreaterThanOrEqual(0);
  });

  it("is NOT_FOUND for everyone below the platform, resellers' and customers' owners included", async () => {
    for (const user of [t.resAAdmin, t.acmeOwner, t.stranger]) {
      const err = await rejection(health(new Date(), user.id));
      expect(err.code, user.email).toBe("NOT_FOUND");
    }
  });

  it("is NOT_FOUND for an operator's API token on another account than the platform", async () => {
    const err = await rejection(
      getPlatformHealth({
        actor: {
          userId: t.platformOwner.id,
          token: { id: "tok", name: "t", accountId: t.resA.id, accountPath: t.resA.path, role: "OWNER" },
        },
        probe,
      }),
    );
    expect(err.code).toBe("NOT_FOUND");
  });
});
