/**
 * Issue 12 (chaos): the database restarted under the panel. On a MariaDB server of the test's own
 * (never the machine's shared one): requests while it is down answer 503 UNAVAILABLE with a clear
 * message, in the REST API and in server actions alike; once it is back, the same process and the
 * same Prisma client serve again (no restart); and a site created while the server is killed is
 * written entirely (site, domain, change-log row) or not at all.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { setPrismaClient } from "@/lib/db";
import {
  DATABASE_UNAVAILABLE_DIGEST,
  DATABASE_UNAVAILABLE_MESSAGE,
  isDatabaseUnavailable,
} from "@/lib/db/unavailable";
import type { Account } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { panelOrigin } from "@/lib/security/origin";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestDatabase, createTestUser, type TestDatabase } from "@/tests/helpers/db";
import { type PrivateMariaDb, startPrivateMariaDb } from "@/tests/helpers/private-mariadb";

const current: { session: { user: { id: string; email: string; name: string }; sessionId: string } | null } =
  { session: null };
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => current.session,
}));
vi.mock("next/headers", () => ({ headers: async () => new Headers() }));

let server: PrivateMariaDb;
let db: TestDatabase;
let acme: Account;
let userId: string;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  server = await startPrivateMariaDb();
  db = await createTestDatabase({ serverUrl: server.serverUrl });
  process.env.DATABASE_URL = db.url;
  setPrismaClient(db.prisma);
  const platform = await createTestAccount(db.prisma, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(db.prisma, { slug: "acme", parent: platform });
  const user = await createTestUser(db.prisma, {
    email: "owner@acme.test",
    roles: [{ account: acme, role: "OWNER" }],
  });
  userId = user.id;
  const sessionId = await createUserSession({ userId, ip: null, userAgent: null, maxAgeSeconds: 3600 });
  current.session = { user: { id: user.id, email: user.email, name: user.name }, sessionId };
});

afterAll(async () => {
  setPrismaClient(undefined);
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  await db?.prisma.$disconnect();
  // The whole server goes, its databases with it.
  await server?.cleanup();
});

async function postSite(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const { POST } = await import("@/app/api/v1/accounts/[accountId]/sites/route");
  const req = new NextRequest(new URL(`/api/v1/accounts/${acme.id}/sites`, panelOrigin()), {
    method: "POST",
    headers: { origin: panelOrigin(), "sec-fetch-site": "same-origin", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const res = await POST(req, { params: Promise.resolve({ accountId: acme.id }) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("the database stopped under the panel", () => {
  it("answers 503 UNAVAILABLE while it is down, writes nothing, and serves again once it is back", async () => {
    const { createSiteAction } = await import("@/lib/actions/site/create-site-action");
    // Warm: the pool holds open connections, which the stop cuts.
    expect((await postSite({ name: "before", domain: "before.acme.test" })).status).toBe(201);

    await server.stop();
    const refused = await postSite({ name: "during", domain: "during.acme.test" });
    expect(refused).toEqual({
      status: 503,
      json: { error: { code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE } },
    });
    // A form's server action says the same.
    const action = await createSiteAction({ accountId: acme.id, name: "form", domain: "form.acme.test" });
    expect(action).toEqual({ ok: false, code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE });

    await server.start();
    // The same process and client: the pool opens new connections by itself.
    const created = await postSite({ name: "during", domain: "during.acme.test" });
    expect(created.status).toBe(201);
    const again = await createSiteAction({ accountId: acme.id, name: "form", domain: "form.acme.test" });
    expect(again.ok).toBe(true);
    const names = await db.prisma.site.findMany({ where: { accountId: acme.id }, select: { name: true } });
    expect(names.map((s) => s.name).sort()).toEqual(["before", "during", "form"]);
  }, 120_000);

  it("ends an open event stream with an `unavailable` event, and opens one again once the server is back", async () => {
    const { GET } = await import("@/app/api/v1/events/route");
    const open = () =>
      GET(new NextRequest(new URL("/api/v1/events", panelOrigin())), { params: Promise.resolve({}) });
    const res = await open();
    expect(res.status).toBe(200);
    if (!res.body) throw new Error("no body");
    await server.stop();
    // The stream's next poll meets the stopped server; the stream says so and ends.
    const text = await new Response(res.body).text();
    const frames = text.split("\n\n").filter((f) => f.startsWith("event: unavailable"));
    expect(frames).toEqual([
      `event: unavailable\ndata: ${JSON.stringify({ code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE })}`,
    ]);
    // Reconnecting while it is down: a 503 with the same message (the browser retries later).
    const refused = await open();
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: { code: "UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE },
    });

    await server.start();
    const again = await open();
    expect(again.status).toBe(200);
    await again.body?.cancel();
  }, 120_000);

  it("commits a site created while the server is killed entirely or not at all", async () => {
    const attempts: Array<{ name: string; outcome: Promise<"created" | "failed"> }> = [];
    let killed = false;
    let failures = 0;
    let created = 0;
    let enoughCreated: () => void = () => {};
    const enough = new Promise<void>((resolve) => {
      enoughCreated = resolve;
    });
    const unexpected: unknown[] = [];
    let n = 0;
    // Four clients create sites one after another until the database fails them; each createSite
    // is one transaction writing the site, its domain and its change-log row.
    async function client(): Promise<void> {
      while (!killed || failures === 0) {
        const name = `chaos-${n++}`;
        const outcome = createSite({
          actor: { userId },
          accountId: acme.id,
          input: { name, domain: `${name}.acme.test`, app: "PHP" },
        }).then(
          () => {
            if (++created >= 8) enoughCreated();
            return "created" as const;
          },
          (err: unknown) => {
            failures++;
            // Classified, and marked for the error page (pages render from the same services).
            const digest = (err as { digest?: unknown }).digest;
            if (!isDatabaseUnavailable(err) || digest !== DATABASE_UNAVAILABLE_DIGEST) unexpected.push(err);
            return "failed" as const;
          },
        );
        attempts.push({ name, outcome });
        if ((await outcome) === "failed") return;
      }
    }
    const clients = Array.from({ length: 4 }, () => client());
    // Kill once a few sites went through: the clients are mid-way through their next ones.
    await enough;
    await server.kill();
    killed = true;
    await Promise.all(clients);
    expect(unexpected).toEqual([]);

    await server.start();
    const outcomes = await Promise.all(
      attempts.map(async (a) => ({ name: a.name, outcome: await a.outcome })),
    );
    expect(outcomes.some((o) => o.outcome === "failed")).toBe(true);
    const sites = await db.prisma.site.findMany({
      where: { accountId: acme.id, name: { startsWith: "chaos-" } },
      select: { id: true, name: true, domains: { select: { hostname: true } } },
    });
    const changes = await db.prisma.changeLog.findMany({
      where: { kind: "Site", action: "CREATED", objectId: { in: sites.map((s) => s.id) } },
      select: { objectId: true },
    });
    const domains = await db.prisma.domain.findMany({
      where: { hostname: { startsWith: "chaos-" } },
      select: { hostname: true, siteId: true },
    });
    // Every site that exists has its domain and its change-log row; no domain without its site.
    for (const site of sites) {
      expect(site.domains.map((d) => d.hostname)).toEqual([`${site.name}.acme.test`]);
      expect(changes.filter((c) => c.objectId === site.id)).toHaveLength(1);
    }
    expect(domains.every((d) => sites.some((s) => s.id === d.siteId))).toBe(true);
    // What the caller was told created exists. A failure may still have committed (the server
    // died after the commit, before its answer): then it is whole, as checked above.
    const present = new Set(sites.map((s) => s.name));
    for (const o of outcomes) if (o.outcome === "created") expect(present.has(o.name)).toBe(true);
    const inDoubt = outcomes.filter((o) => o.outcome === "failed" && present.has(o.name)).length;
    log.info("database killed under site creation", {
      attempts: attempts.length,
      writtenWhole: present.size,
      failed: failures,
      failedButCommitted: inDoubt,
    });
  }, 120_000);
});
