/**
 * The operator's search against a real MariaDB: what it finds (case-insensitive, prefix first),
 * its limits, that LIKE wildcards in the query are literal, who may search, and whom the results
 * offer to sign in as.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/services/actor";
import { searchPlatform } from "@/lib/services/platform/search-platform";
import { createSite } from "@/lib/services/site/create-site";
import { SEARCH_LIMIT_PER_KIND } from "@/lib/validation/search";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;
let siteId: string;

beforeAll(async () => {
  const p = db().prisma;
  t = await createHostingTree(p);
  await p.account.update({ where: { id: t.globex.id }, data: { name: "Globex Corporation" } });
  await p.user.update({ where: { id: t.acmeOwner.id }, data: { name: "Wile E. Coyote" } });
  // Globex's reseller has no allotment: a site needs no plan there.
  const { site } = await createSite({
    actor: { userId: t.resBAdmin.id },
    accountId: t.globex.id,
    input: { name: "roadrunner", domain: "www.roadrunner-shop.example" },
  });
  siteId = site.id;
  await p.domain.create({ data: { siteId, hostname: "beep.example" } });
});

function search(q: string, actor: Actor = { userId: t.platformOwner.id }) {
  return searchPlatform({ actor, input: { q } });
}

describe("what the operator finds", () => {
  it("finds accounts by name and by short name, whatever the case", async () => {
    const byName = await search("GLOBEX corp");
    expect(byName.accounts.items.map((a) => a.slug)).toEqual([t.globex.slug]);
    expect(byName.accounts.items[0]).toMatchObject({
      name: "Globex Corporation",
      kind: "CUSTOMER",
      status: "ACTIVE",
    });
    expect((await search("res-")).accounts.items.map((a) => a.slug).sort()).toEqual(
      [t.resA.slug, t.resB.slug].sort(),
    );
  });

  it("lists names that start with the query before names that contain it", async () => {
    const p = db().prisma;
    await createTestAccount(p, { slug: "zz-beta-acme", name: "Beta Acme", parent: t.resB });
    await createTestAccount(p, { slug: "acme-two", name: "Acme Two", parent: t.resB });
    const names = (await search("acme")).accounts.items.map((a) => a.name);
    expect(names).toEqual(["Acme", "Acme Two", "Beta Acme"]);
  });

  it("finds users by name and by email, with their accounts and roles", async () => {
    const byName = await search("coyote");
    expect(byName.users.items).toEqual([
      {
        id: t.acmeOwner.id,
        name: "Wile E. Coyote",
        email: t.acmeOwner.email,
        accounts: [{ slug: t.acme.slug, name: "Acme", role: "OWNER" }],
        accountCount: 1,
        signInAs: { allowed: true, reason: null },
      },
    ]);
    expect((await search("VIEWER@acme")).users.items.map((u) => u.id)).toEqual([t.acmeViewer.id]);
  });

  it("does not find users of no account (there is nothing to reach them through)", async () => {
    expect((await search("stranger")).users.items).toEqual([]);
  });

  it("finds sites by name and domains by any part of their hostname, with the way to the site", async () => {
    const results = await search("roadrunner");
    expect(results.sites.items).toEqual([
      {
        id: siteId,
        name: "roadrunner",
        accountSlug: t.globex.slug,
        accountName: "Globex Corporation",
        phase: "PROVISIONING",
      },
    ]);
    expect(results.domains.items).toEqual([
      {
        id: expect.any(String),
        hostname: "www.roadrunner-shop.example",
        siteId,
        siteName: "roadrunner",
        accountSlug: t.globex.slug,
      },
    ]);
    expect((await search("BEEP")).domains.items.map((d) => d.hostname)).toEqual(["beep.example"]);
  });

  it("takes LIKE wildcards in the query literally", async () => {
    await createTestAccount(db().prisma, { slug: "wild-x1", name: "Wild 50% off", parent: t.resB });
    await createTestAccount(db().prisma, { slug: "wild-x2", name: "Wild 50 euros", parent: t.resB });
    expect((await search("50%")).accounts.items.map((a) => a.slug)).toEqual(["wild-x1"]);
    expect((await search("wild_x")).accounts.items).toEqual([]);
    expect((await search("%%")).accounts.items.map((a) => a.slug)).toEqual([]);
  });

  it("shows at most the limit of each kind and says there are more", async () => {
    const p = db().prisma;
    for (let i = 0; i < SEARCH_LIMIT_PER_KIND + 2; i++) {
      await createTestAccount(p, {
        slug: `many-${String(i).padStart(2, "0")}`,
        name: `Many ${i}`,
        parent: t.resB,
      });
    }
    const results = await search("many-");
    expect(results.accounts.items).toHaveLength(SEARCH_LIMIT_PER_KIND);
    expect(results.accounts.more).toBe(true);
    expect((await search("globex")).accounts.more).toBe(false);
  });

  it("answers INVALID_INPUT with the field's message for a query too short", async () => {
    const err = await rejection(search(" a "));
    expect(err).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { q: "Type at least 2 characters." } });
  });
});

describe("whom the results offer to sign in as", () => {
  it("never oneself nor another operator, and only to owners and admins of the platform", async () => {
    const p = db().prisma;
    const admin = await createTestUser(p, {
      email: "second-operator@platform.test",
      name: "Second Operator",
      roles: [{ account: t.platform, role: "ADMIN" }],
    });
    const viewer = await createTestUser(p, {
      email: "viewer-operator@platform.test",
      name: "Viewer Operator",
      roles: [{ account: t.platform, role: "VIEWER" }],
    });
    const ownerView = (await search("operator@platform")).users.items;
    expect(ownerView.find((u) => u.id === admin.id)?.signInAs).toEqual({
      allowed: false,
      reason: "Second Operator is a platform operator: operators cannot sign in as each other.",
    });
    const own = (await search("owner@platform", { userId: t.platformOwner.id })).users.items;
    expect(own.find((u) => u.id === t.platformOwner.id)?.signInAs.reason).toBe(
      "You cannot sign in as yourself.",
    );
    const viewerView = (await search("coyote", { userId: viewer.id })).users.items;
    expect(viewerView[0]?.signInAs).toEqual({
      allowed: false,
      reason: "Your role (viewer) does not allow you to sign in as users.",
    });
  });
});

describe("who may search", () => {
  it("refuses everyone below the platform with the same NOT_FOUND, before reading the query", async () => {
    const answers = new Set<string>();
    for (const user of [t.resAAdmin, t.acmeOwner, t.acmeViewer, t.stranger]) {
      for (const q of ["acme", "x"]) {
        const err = await rejection(search(q, { userId: user.id }));
        expect(err.code).toBe("NOT_FOUND");
        answers.add(JSON.stringify(err));
      }
    }
    expect(answers.size).toBe(1);
  });

  it("narrows an API token as everywhere: on the platform it searches, elsewhere it is NOT_FOUND", async () => {
    const token = (account: { id: string; path: string }) => ({
      id: "tok",
      name: "t",
      accountId: account.id,
      accountPath: account.path,
      role: "OWNER" as const,
    });
    const onPlatform = await search("coyote", { userId: t.platformOwner.id, token: token(t.platform) });
    expect(onPlatform.users.items[0]?.signInAs).toEqual({
      allowed: false,
      reason: "An API token cannot sign in as a user.",
    });
    const err = await rejection(search("coyote", { userId: t.platformOwner.id, token: token(t.resA) }));
    expect(err.code).toBe("NOT_FOUND");
  });

  it("refuses a support session, whoever it acts as", async () => {
    const err = await rejection(
      search("acme", {
        userId: t.platformOwner.id,
        impersonation: {
          id: "imp",
          operatorUserId: t.platformOwner.id,
          operatorName: "x",
          expiresAt: new Date(),
        },
      }),
    );
    expect(err.code).toBe("NOT_FOUND");
  });
});
