/**
 * Names one tenant must not be able to take from another or from Sitepod: a domain below a domain
 * another account holds, the panel's own hostname, the platform's reserved names, and the site
 * names Sitepod gives its own objects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";
import { rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
const NOT_AVAILABLE =
  "This domain is not available. Choose another domain, or contact your provider if it is yours.";
const RESERVED_NAME =
  'Names starting with "sitepod" are reserved for Sitepod\'s own objects. Choose another name.';

let victim: Account;
let attacker: Account;
let victimOwner: User;
let attackerOwner: User;
const previousPanelUrl = process.env.NEXTAUTH_URL;

async function counts() {
  const p = db().prisma;
  return { sites: await p.site.count(), domains: await p.domain.count(), changes: await p.changeLog.count() };
}

beforeAll(async () => {
  process.env.NEXTAUTH_URL = "https://panel.hosting.test/";
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  victim = await createTestAccount(p, { slug: "victim", name: "Victim Corp", parent: platform });
  attacker = await createTestAccount(p, { slug: "attacker", parent: platform });
  victimOwner = await createTestUser(p, {
    email: "owner@victim.test",
    roles: [{ account: victim, role: "OWNER" }],
  });
  attackerOwner = await createTestUser(p, {
    email: "owner@attacker.test",
    roles: [{ account: attacker, role: "OWNER" }],
  });
  await createSite({
    actor: { userId: victimOwner.id },
    accountId: victim.id,
    input: { name: "home", domain: "victim-corp.test" },
  });
});

afterAll(() => {
  if (previousPanelUrl === undefined) delete process.env.NEXTAUTH_URL;
  else process.env.NEXTAUTH_URL = previousPanelUrl;
});

function attack(name: string, domain: string) {
  return rejection(
    createSite({ actor: { userId: attackerOwner.id }, accountId: attacker.id, input: { name, domain } }),
  );
}

describe("domains held by another account", () => {
  it.each([
    ["the same domain", "victim-corp.test"],
    ["www below it", "www.victim-corp.test"],
    ["a deeper name below it", "a.b.victim-corp.test"],
    ["a name below it, in capitals with the root dot", "WWW.Victim-Corp.TEST."],
  ])("refuses %s with one message that does not name the holder, writing nothing", async (_what, domain) => {
    const before = await counts();
    const err = await attack("grab", domain);
    expect([err.code, err.message, err.fieldErrors]).toEqual([
      "CONFLICT",
      NOT_AVAILABLE,
      { domain: NOT_AVAILABLE },
    ]);
    expect(JSON.stringify(err)).not.toMatch(/victim corp|victim@|owner@/i);
    expect(await counts()).toEqual(before);
  });

  it("lets the holder add names below its own domain", async () => {
    await createSite({
      actor: { userId: victimOwner.id },
      accountId: victim.id,
      input: { name: "shop", domain: "shop.victim-corp.test" },
    });
    expect(await db().prisma.domain.count({ where: { hostname: "shop.victim-corp.test" } })).toBe(1);
  });

  it("lets a name above another account's domain be taken (the lower name stays its holder's)", async () => {
    await createSite({
      actor: { userId: victimOwner.id },
      accountId: victim.id,
      input: { name: "blog", domain: "blog.example-parent.test" },
    });
    await createSite({
      actor: { userId: attackerOwner.id },
      accountId: attacker.id,
      input: { name: "apex", domain: "example-parent.test" },
    });
    // ... but not the other names below it, which are below the victim's name too.
    expect((await attack("deep", "x.blog.example-parent.test")).message).toBe(NOT_AVAILABLE);
  });

  it("lets many accounts claim unrelated domains at the same moment (the check takes no gap locks)", async () => {
    const p = db().prisma;
    const owners = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const account = await createTestAccount(p, { slug: `burst-${i}` });
        const owner = await createTestUser(p, {
          email: `owner@burst-${i}.test`,
          roles: [{ account, role: "OWNER" }],
        });
        return { account, owner };
      }),
    );
    const results = await Promise.allSettled(
      owners.map(({ account, owner }, i) =>
        createSite({
          actor: { userId: owner.id },
          accountId: account.id,
          input: { name: "site", domain: `${String.fromCharCode(97 + i)}.burst.test` },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(owners.map(() => "fulfilled"));
  });

  it("refuses a name below a domain that another account is claiming at the same moment", async () => {
    const p = db().prisma;
    const victimSite = await p.site.findFirstOrThrow({ where: { accountId: victim.id, name: "home" } });
    // The victim's claim of racing-corp.test, held open (inserted, not yet committed) on another
    // connection while the attacker claims www.racing-corp.test.
    const other = createPrismaClient(db().url);
    let commit = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let inserted = () => {};
    const claimed = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const victimClaim = other.$transaction(
      async (tx) => {
        await tx.domain.create({ data: { siteId: victimSite.id, hostname: "racing-corp.test" } });
        inserted();
        await committed;
      },
      { timeout: 60_000 },
    );
    try {
      await claimed;
      const before = await counts();
      const attempt = attack("racer", "www.racing-corp.test");
      // The attacker's check must wait for the victim's claim instead of reading past it.
      await eventually(
        "the attacker's claim to wait for the victim's",
        async () => {
          // Lock waits on this test database's Domain table only (other suites may run beside it).
          const waiting = await p.$queryRaw<{ n: bigint }[]>`
          SELECT COUNT(*) AS n FROM information_schema.INNODB_LOCKS
          WHERE lock_table = CONCAT('\`', DATABASE(), '\`.\`Domain\`')`;
          return Number(waiting[0]?.n ?? 0) > 0 ? true : undefined;
        },
        20_000,
      );
      commit();
      await victimClaim;
      const err = await attempt;
      expect(err.message).toBe(NOT_AVAILABLE);
      expect(await counts()).toEqual({ ...before, domains: before.domains + 1 });
    } finally {
      commit();
      await victimClaim.catch(() => undefined);
      await other.$disconnect();
    }
  });
});

describe("reserved domains", () => {
  it.each([
    ["the panel's own hostname", "panel.hosting.test"],
    ["a name below the panel's hostname", "login.panel.hosting.test"],
    ["localhost", "app.localhost"],
    ["an mDNS name", "printer.local"],
    ["a cluster-internal Service name", "kubernetes.default.svc"],
    ["a cluster DNS name", "db.default.svc.cluster.local"],
    ["an .internal name", "metadata.google.internal"],
    ["a reverse-DNS name", "1.0.0.127.in-addr.arpa"],
  ])("refuses %s with the same message, writing nothing", async (_what, domain) => {
    const before = await counts();
    const err = await attack("grab", domain);
    expect([err.code, err.message, err.fieldErrors]).toEqual([
      "CONFLICT",
      NOT_AVAILABLE,
      { domain: NOT_AVAILABLE },
    ]);
    expect(await counts()).toEqual(before);
  });
});

describe("reserved site names", () => {
  it.each(["sitepod-suspended", "sitepod-site", "sitepod-plan", "sitepod", "sitepod-anything"])(
    "refuses %j next to the name field, writing nothing",
    async (name) => {
      const before = await counts();
      const err = await attack(name, `${name}.attacker.test`);
      expect([err.code, err.fieldErrors]).toEqual(["INVALID_INPUT", { name: RESERVED_NAME }]);
      expect(await counts()).toEqual(before);
    },
  );

  it("still accepts names that merely contain the word", async () => {
    await createSite({
      actor: { userId: attackerOwner.id },
      accountId: attacker.id,
      input: { name: "my-sitepod", domain: "my-sitepod.attacker.test" },
    });
  });
});
