/**
 * The web process's one change feed: streams of different tenants on one hub see only their own
 * changes, rows committing out of id order arrive once and in order, a removed membership stops
 * delivery, and the database sees one read per poll however many streams listen.
 */
import mariadb from "mariadb";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mariadbAdapter, setPrismaClient } from "@/lib/db";
import { parseDatabaseUrl } from "@/lib/db/migrate";
import { type Account, PrismaClient, type User } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { removeMember } from "@/lib/services/membership/remove-member";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { ChangeHub } from "./change-hub";
import { runChangeStream } from "./change-stream";

const db = withTestDatabase();

let acme: Account;
let globex: Account;
let acmeOwner: User;
let globexOwner: User;
const hubs: ChangeHub[] = [];
const streams: AbortController[] = [];

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  acmeOwner = await createTestUser(p, { email: "o@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  globexOwner = await createTestUser(p, {
    email: "o@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
});

afterEach(async () => {
  for (const s of streams.splice(0)) s.abort();
  for (const hub of hubs.splice(0)) await hub.stop();
});

afterAll(() => setPrismaClient(db().prisma));

interface SseEvent {
  event: string;
  id: string | null;
  data: Record<string, unknown>;
}

function parseFrames(frames: readonly string[]): SseEvent[] {
  const out: SseEvent[] = [];
  for (const frame of frames) {
    if (frame.startsWith(":") || frame.startsWith("retry:")) continue;
    let event = "message";
    let id: string | null = null;
    let data = "";
    for (const line of frame.trim().split("\n")) {
      if (line.startsWith("event: ")) event = line.slice(7);
      else if (line.startsWith("id: ")) id = line.slice(4);
      else if (line.startsWith("data: ")) data = line.slice(6);
    }
    out.push({ event, id, data: JSON.parse(data) as Record<string, unknown> });
  }
  return out;
}

/** Retries an assertion every 20 ms until it holds, for at most `timeoutMs`. */
async function eventually(assertion: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function newHub(options: ConstructorParameters<typeof ChangeHub>[0] = {}): ChangeHub {
  const hub = new ChangeHub({ pollMs: 50, gapHoldMs: 5_000, ...options });
  hubs.push(hub);
  return hub;
}

function openStream(
  hub: ChangeHub,
  user: User,
  requested: bigint | null = null,
  sessionCheckMs = 60_000,
  rootsMaxAgeMs = 60_000,
) {
  const frames: string[] = [];
  const stop = new AbortController();
  streams.push(stop);
  const ended = runChangeStream({
    actor: { userId: user.id },
    requested,
    hub,
    send: (frame) => frames.push(frame),
    signal: stop.signal,
    stillSignedIn: async () => true,
    sessionCheckMs,
    rootsMaxAgeMs,
    heartbeatMs: 60_000,
    log,
  });
  return {
    events: () => parseFrames(frames),
    changes: () => parseFrames(frames).filter((e) => e.event === "change"),
    ended,
    stop: () => stop.abort(),
  };
}

async function newSite(user: User, account: Account, name: string): Promise<string> {
  const { site } = await createSite({
    actor: { userId: user.id },
    accountId: account.id,
    input: { name, domain: `${name}.test` },
  });
  return site.id;
}

describe("change hub", () => {
  it("gives two tenants' streams on one hub only their own changes", async () => {
    const hub = newHub();
    const a = openStream(hub, acmeOwner);
    const g = openStream(hub, globexOwner);
    await eventually(() => expect(a.events().map((e) => e.event)).toEqual(["ready"]));
    await eventually(() => expect(g.events().map((e) => e.event)).toEqual(["ready"]));

    const acmeSite = await newSite(acmeOwner, acme, "a1");
    const globexSite = await newSite(globexOwner, globex, "g1");
    const acmeSite2 = await newSite(acmeOwner, acme, "a2");

    await eventually(() => expect(a.changes().map((e) => e.data.objectId)).toEqual([acmeSite, acmeSite2]));
    await eventually(() => expect(g.changes().map((e) => e.data.objectId)).toEqual([globexSite]));
    expect(a.changes().every((e) => e.data.accountId === acme.id && e.id === e.data.resourceVersion)).toBe(
      true,
    );
    expect(hub.subscriberCount()).toBe(2);
  });

  it("resumes from the hub's buffer and, for an older position, from a scoped backlog read", async () => {
    const hub = newHub();
    const live = openStream(hub, acmeOwner);
    await eventually(() => expect(live.events()).toHaveLength(1));
    const before = hub.position();
    const s1 = await newSite(acmeOwner, acme, "r1");
    await newSite(globexOwner, globex, "r2");
    const s3 = await newSite(acmeOwner, acme, "r3");
    await eventually(() => expect(live.changes()).toHaveLength(2));

    // From the buffer: the changes after `before`, the caller's only.
    const fromBuffer = openStream(hub, acmeOwner, before);
    await eventually(() => expect(fromBuffer.changes().map((e) => e.data.objectId)).toEqual([s1, s3]));

    // From before the hub started: read once from the database, then live.
    const fromStart = openStream(hub, acmeOwner, 0n);
    await eventually(() =>
      expect(fromStart.changes().map((e) => e.data.objectId)).toEqual(expect.arrayContaining([s1, s3])),
    );
    const s4 = await newSite(acmeOwner, acme, "r4");
    await eventually(() => expect(fromStart.changes().at(-1)?.data.objectId).toBe(s4));
    const ids = fromStart.changes().map((e) => e.data.resourceVersion as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(fromStart.changes().every((e) => e.data.accountId === acme.id)).toBe(true);
  });

  it("delivers rows committing out of id order once, in id order", async () => {
    const hub = newHub();
    const a = openStream(hub, acmeOwner);
    await eventually(() => expect(a.events()).toHaveLength(1));
    const conn = await mariadb.createConnection(parseDatabaseUrl(db().url));
    try {
      // A transaction takes the next change-log id and holds it uncommitted...
      await conn.beginTransaction();
      await conn.query(
        "INSERT INTO ChangeLog (kind, objectId, accountId, action, createdAt) VALUES ('Site', 'held', ?, 'UPDATED', NOW(3))",
        [acme.id],
      );
      const [row] = (await conn.query("SELECT LAST_INSERT_ID() AS id")) as { id: bigint }[];
      const held = String(row?.id);
      // ...while a later one commits: it waits for the gap.
      const later = await newSite(acmeOwner, acme, "late1");
      const pollsBefore = hub.reads();
      await eventually(() => expect(hub.reads()).toBeGreaterThan(pollsBefore + 3));
      expect(a.changes()).toEqual([]);
      await conn.commit();
      await eventually(() => expect(a.changes()).toHaveLength(2));
      expect(a.changes().map((e) => e.data.objectId)).toEqual(["held", later]);
      expect(a.changes()[0]?.id).toBe(held);
      // Later polls see the rows again in the look-back window: nothing is sent twice.
      const polls = hub.reads();
      await eventually(() => expect(hub.reads()).toBeGreaterThan(polls + 3));
      expect(a.changes()).toHaveLength(2);
    } finally {
      await conn.end();
    }
  });

  it("stops delivering an account's changes once the membership is removed", async () => {
    const hub = newHub();
    const user = await createTestUser(db().prisma, {
      email: "leaving@acme.test",
      roles: [{ account: acme, role: "VIEWER" }],
    });
    const s = openStream(hub, user, null, 100);
    await eventually(() => expect(s.events()).toHaveLength(1));
    const first = await newSite(acmeOwner, acme, "m1");
    await eventually(() => expect(s.changes().map((e) => e.data.objectId)).toEqual([first]));
    // Removed through the service: its Membership row makes the stream re-read what the caller
    // reaches at its next session check (every 100 ms here).
    await removeMember({ actor: { userId: acmeOwner.id }, accountId: acme.id, input: { userId: user.id } });
    await eventually(() => expect(hub.membershipVersion()).toBeGreaterThan(0));
    const reads = hub.reads();
    await eventually(() => expect(hub.reads()).toBeGreaterThan(reads + 5));
    await newSite(acmeOwner, acme, "m2");
    const after = hub.reads();
    await eventually(() => expect(hub.reads()).toBeGreaterThan(after + 5));
    // The removal itself may still reach them; the site created after it does not.
    expect(
      s
        .changes()
        .filter((e) => e.data.kind === "Site")
        .map((e) => e.data.objectId),
    ).toEqual([first]);
  });

  it("re-reads what a caller reaches after a while even without a membership row", async () => {
    const hub = newHub();
    const user = await createTestUser(db().prisma, {
      email: "quiet@acme.test",
      roles: [{ account: acme, role: "VIEWER" }],
    });
    const s = openStream(hub, user, null, 100, 300);
    await eventually(() => expect(s.events()).toHaveLength(1));
    await db().prisma.membership.deleteMany({ where: { userId: user.id } });
    await new Promise((resolve) => setTimeout(resolve, 600));
    await newSite(acmeOwner, acme, "q1");
    const after = hub.reads();
    await eventually(() => expect(hub.reads()).toBeGreaterThan(after + 5));
    expect(s.changes()).toEqual([]);
  });

  it("reads the change log once per poll however many streams listen", async () => {
    // Every query of this process, counted where Prisma sends it.
    const counted = new PrismaClient({
      adapter: mariadbAdapter(db().url),
      log: [{ emit: "event", level: "query" }],
    });
    let queries = 0;
    counted.$on("query", () => {
      queries += 1;
    });
    setPrismaClient(counted);
    try {
      const pollMs = 100;
      const hub = newHub({ pollMs });
      const measure = async (streamCount: number) => {
        const opened = Array.from({ length: streamCount }, (_, i) =>
          openStream(hub, i % 2 === 0 ? acmeOwner : globexOwner),
        );
        await eventually(() => expect(opened.every((s) => s.events().length === 1)).toBe(true));
        const q0 = queries;
        const r0 = hub.reads();
        const t0 = Date.now();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const seconds = (Date.now() - t0) / 1000;
        for (const s of opened) s.stop();
        await Promise.all(opened.map((s) => s.ended));
        return { queriesPerSecond: (queries - q0) / seconds, readsPerSecond: (hub.reads() - r0) / seconds };
      };
      const one = await measure(1);
      const many = await measure(200);
      // At most one read per poll interval (plus the read a timer may start late), for 1 or 200 streams.
      const perInterval = 1000 / pollMs;
      expect(one.readsPerSecond).toBeLessThanOrEqual(perInterval + 1);
      expect(many.readsPerSecond).toBeLessThanOrEqual(perInterval + 1);
      // Open streams make no queries of their own between session checks: everything is the hub's.
      expect(many.queriesPerSecond).toBeLessThanOrEqual(perInterval + 1);
      expect(Math.abs(many.queriesPerSecond - one.queriesPerSecond)).toBeLessThanOrEqual(2);
    } finally {
      setPrismaClient(db().prisma);
      await counted.$disconnect();
    }
  }, 30_000);
});
