/**
 * The change log's retention: only old rows go, in batches, never an object's newest row nor the
 * log's newest; a client resuming from a compacted position is told to start over (the event
 * stream's `reset`, the API server's 410 Expired), and objects keep their resourceVersions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RESOURCES } from "@/lib/apiserver/resources";
import type { Account, ChangeAction, User } from "@/lib/generated/prisma/client";
import { ChangeHub } from "@/lib/live/change-hub";
import { runChangeStream } from "@/lib/live/change-stream";
import { createLogger, type Logger } from "@/lib/log";
import { startChangeLogRetention } from "@/lib/reconciler/change-log-retention";
import { createSite } from "@/lib/services/site/create-site";
import { apiWatch, createTestToken, startTestApiServer, type TestApiServer } from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { compactChangeLog } from "./compact-change-log";
import { getCompactionHorizon } from "./get-compaction-horizon";
import { latestResourceVersions } from "./latest-resource-versions";

const db = withTestDatabase();
const DAY = 86_400_000;
const policy = { auditRetentionDays: 365, feedRetentionDays: 7, batchSize: 2, intervalMinutes: 60 };

let acme: Account;
let owner: User;
let server: TestApiServer | undefined;
const hubs: ChangeHub[] = [];

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  owner = await createTestUser(p, { email: "o@acme.test", roles: [{ account: acme, role: "OWNER" }] });
});

afterAll(async () => {
  for (const hub of hubs) await hub.stop();
  await server?.close();
});

/** A log that keeps its entries, to assert what retention reports. */
function capturingLog(): { log: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const base = createLogger();
  const make = (context: Record<string, unknown>): Logger => ({
    ...base,
    debug: (msg, c = {}) => entries.push({ msg, ...context, ...c }),
    info: (msg, c = {}) => entries.push({ msg, ...context, ...c }),
    child: (c) => make({ ...context, ...c }),
  });
  return { log: make({}), entries };
}

async function row(objectId: string, action: ChangeAction, daysAgo: number): Promise<bigint> {
  const created = await db().prisma.changeLog.create({
    data: {
      kind: "RetentionProbe",
      objectId,
      accountId: acme.id,
      action,
      createdAt: new Date(Date.now() - daysAgo * DAY),
    },
    select: { id: true },
  });
  return created.id;
}

async function existing(ids: readonly bigint[]): Promise<bigint[]> {
  const rows = await db().prisma.changeLog.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true },
  });
  return rows.map((r) => r.id).sort((a, b) => (a < b ? -1 : 1));
}

describe("compactChangeLog", () => {
  it("deletes only rows past their retention, in batches, keeping each object's newest row", async () => {
    const x1 = await row("x", "CREATED", 400);
    const x2 = await row("x", "STATUS", 400);
    const y1 = await row("y", "CREATED", 400);
    const y2 = await row("y", "UPDATED", 400);
    const z1 = await row("z", "CREATED", 400);
    const z2 = await row("z", "DELETED", 400);
    const w1 = await row("w", "STATUS", 10);
    const x3 = await row("x", "UPDATED", 10);
    const x4 = await row("x", "STATUS", 10);
    const x5 = await row("x", "STATUS", 1);
    const x6 = await row("x", "UPDATED", 0);
    const all = [x1, x2, y1, y2, z1, z2, w1, x3, x4, x5, x6];
    const total = await db().prisma.changeLog.count();

    const { log, entries } = capturingLog();
    const result = await compactChangeLog({ policy, log });

    // Older than a year: gone, but y's newest (its resourceVersion). z was deleted: its tombstone goes.
    // STATUS older than a week: x4 gone; w1 stays, w's newest. Audit rows of 10 days (x3) stay.
    expect(await existing(all)).toEqual([y2, w1, x3, x5, x6]);
    expect(result.deleted).toEqual({ audit: 5, feed: 1 });
    expect(result.batches).toBe(4); // 5 audit rows by 2, then 1 feed row
    expect(entries.filter((e) => e.event === "change_log.retention_batch").map((e) => e.count)).toEqual([
      2, 2, 1, 1,
    ]);
    // The horizon covers every row either rule may delete: the newest row older than a week.
    expect(result.compactedThrough).toBe(x4);
    expect(await getCompactionHorizon()).toBe(x4);
    // Nothing else changed: the rows not named here are young (and two compaction rows were added).
    expect(await db().prisma.changeLog.count()).toBe(total - 6 + 2);

    // A second run finds nothing more to delete and moves nothing.
    const again = await compactChangeLog({ policy });
    expect(again.deleted).toEqual({ audit: 0, feed: 0 });
    expect(again.compactedThrough).toBe(x4);
  });

  it("tells an event stream resuming from a compacted position to start over", async () => {
    const horizon = await getCompactionHorizon();
    expect(horizon).toBeGreaterThan(1n);
    const hub = new ChangeHub({ pollMs: 50 });
    hubs.push(hub);
    const open = async (requested: bigint) => {
      const frames: string[] = [];
      const stop = new AbortController();
      const ended = runChangeStream({
        actor: { userId: owner.id },
        requested,
        hub,
        send: (f) => frames.push(f),
        signal: stop.signal,
        stillSignedIn: async () => true,
        sessionCheckMs: 60_000,
        heartbeatMs: 60_000,
        log: createLogger(),
      });
      const deadline = Date.now() + 5_000;
      while (!frames.some((f) => f.includes("event: ready")) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      stop.abort();
      await ended;
      return frames;
    };

    const compacted = await open(horizon - 1n);
    expect(compacted[0]).toContain("event: reset");
    expect(compacted[0]).toContain('"reason":"Expired"');
    // Then it goes on from now.
    expect(compacted[1]).toContain(`id: ${hub.position()}\nevent: ready`);

    const kept = await open(horizon);
    expect(kept.some((f) => f.includes("event: reset"))).toBe(false);
    expect(kept[0]).toContain(`id: ${horizon}\nevent: ready`);
  });

  it("keeps objects' resourceVersions, and a watch from a compacted position gets 410 Expired", async () => {
    const { site } = await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "kept", domain: "kept.test" },
    });
    const first = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Site", objectId: site.id },
      orderBy: { id: "asc" },
    });
    await db().prisma.changeLog.create({
      data: { kind: "Site", objectId: site.id, accountId: acme.id, action: "UPDATED" },
    });
    await db().prisma.changeLog.updateMany({
      where: { kind: "Site", objectId: site.id },
      data: { createdAt: new Date(Date.now() - 400 * DAY) },
    });
    const ref = { kind: "Site", objectId: site.id };
    const before = (await latestResourceVersions({ refs: [ref] })).get(`Site/${site.id}`);
    await db().prisma.changeLog.create({
      data: { kind: "RetentionProbe", objectId: "newest", accountId: null, action: "UPDATED" },
    });

    const result = await compactChangeLog({ policy });
    expect(result.deleted.audit).toBeGreaterThan(0);
    expect(await existing([first.id])).toEqual([]);
    expect((await latestResourceVersions({ refs: [ref] })).get(`Site/${site.id}`)).toBe(before);

    server = await startTestApiServer({ cache: { resyncMs: 0 } });
    const siteResource = RESOURCES.find((r) => r.kind === "Site");
    if (!siteResource) throw new Error("no Site resource");
    const cached = server.cache.snapshot(siteResource).find((c) => c.record.id === site.id);
    expect(cached?.object.metadata.resourceVersion).toBe(String(before));
    // A resync compares what it reads with the cache: the compaction changed nothing it sees.
    const position = server.cache.position();
    await server.cache.resync();
    expect(server.cache.eventsAfter(position)).toEqual([]);

    const token = await createTestToken({ userId: owner.id, accountId: acme.id });
    const w = apiWatch(server, {
      path: `/apis/hosting.sitepod.io/v1alpha1/namespaces/acme/sites?watch=1&resourceVersion=${first.id}`,
      token,
    });
    try {
      const deadline = Date.now() + 10_000;
      while (w.events.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(w.events[0]).toMatchObject({ type: "ERROR", object: { code: 410, reason: "Expired" } });
    } finally {
      w.close();
    }
  }, 30_000);

  it("never deletes the log's newest row, even when every row is past its retention", async () => {
    const newest = await db().prisma.changeLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    const result = await compactChangeLog({ policy, now: new Date(Date.now() + 3650 * DAY) });
    expect(result.deleted.audit).toBeGreaterThan(0);
    expect(await existing([newest.id])).toEqual([newest.id]);
    // And every object that still exists keeps its newest row.
    const sites = await db().prisma.site.findMany({ select: { id: true } });
    const versions = await latestResourceVersions({
      refs: sites.map((s) => ({ kind: "Site", objectId: s.id })),
    });
    expect(versions.size).toBe(sites.length);
  });

  it("runs in the reconciler process and logs what it deleted as JSON counts", async () => {
    const old = await row("v", "CREATED", 400);
    await row("v", "UPDATED", 400);
    const { log, entries } = capturingLog();
    const retention = startChangeLogRetention({ prisma: db().prisma, log, policy, firstRunMs: 3_600_000 });
    try {
      await retention.runNow();
    } finally {
      await retention.stop();
    }
    expect(await existing([old])).toEqual([]);
    expect(entries.find((e) => e.event === "change_log.retention")).toMatchObject({
      part: "retention",
      deletedAudit: 1,
      deletedFeed: 0,
      auditRetentionDays: 365,
      feedRetentionDays: 7,
    });
  });
});
