import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createSite, uniqueViolationToConflict } from "@/lib/services/site/create-site";
import { deleteSite } from "@/lib/services/site/delete-site";
import { getSite } from "@/lib/services/site/get-site";
import { listSites } from "@/lib/services/site/list-sites";
import { openSiteSecrets, WORDPRESS_SALT_NAMES } from "@/lib/services/site/site-secrets";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

let platform: Account;
let reseller: Account;
let acme: Account;
let globex: Account;
let owner: User; // OWNER on acme
let viewer: User; // VIEWER on acme
let resellerAdmin: User; // ADMIN on reseller (reaches acme through the tree)
let stranger: User; // OWNER on globex only

beforeAll(async () => {
  const p = db().prisma;
  platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  reseller = await createTestAccount(p, { slug: "reseller", kind: "RESELLER", parent: platform });
  acme = await createTestAccount(p, { slug: "acme", parent: reseller });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  viewer = await createTestUser(p, { email: "viewer@acme.test", roles: [{ account: acme, role: "VIEWER" }] });
  resellerAdmin = await createTestUser(p, {
    email: "admin@reseller.test",
    roles: [{ account: reseller, role: "ADMIN" }],
  });
  stranger = await createTestUser(p, {
    email: "owner@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
});

async function counts() {
  const p = db().prisma;
  return { sites: await p.site.count(), domains: await p.domain.count(), changes: await p.changeLog.count() };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe("createSite", () => {
  it("writes the site, its primary domain, sealed secrets and a CREATED change", async () => {
    const before = await counts();
    const actor = { userId: owner.id, ip: "203.0.113.7" };
    const { site, wordpressAdmin } = await createSite({
      actor,
      accountId: acme.id,
      input: { name: "blog", domain: "Blog.Example.com." },
    });

    expect(site).toMatchObject({
      accountId: acme.id,
      accountSlug: "acme",
      name: "blog",
      app: "WORDPRESS",
      // The newest version the catalog offers (tests/helpers/db.ts: 8.4 and 8.2).
      phpVersion: "8.4",
      primaryDomain: "blog.example.com",
      domains: ["blog.example.com"],
      platformHostname: "blog-acme.localhost",
      // With the local cluster's gateway port when the suite runs against its real node.
      platformUrl: expect.stringMatching(/^http:\/\/blog-acme\.localhost(:\d+)?\/$/),
      phase: "PROVISIONING",
      generation: 1,
      observedGeneration: 0,
      deletionRequestedAt: null,
    });
    expect(site.conditions).toEqual([
      expect.objectContaining({
        type: "Ready",
        status: "False",
        reason: "Provisioning",
        observedGeneration: 1,
      }),
    ]);
    expect(JSON.stringify(site)).not.toMatch(/secret|password|AUTH_KEY/i);
    expect(await counts()).toEqual({
      sites: before.sites + 1,
      domains: before.domains + 1,
      changes: before.changes + 1,
    });

    const row = await db().prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(row.platformLabel).toBe("blog-acme");
    const secrets = openSiteSecrets(row.secretsCiphertext);
    expect(secrets.database.name).toMatch(/^sp_blog_[0-9a-f]{8}$/);
    expect(secrets.database.password.length).toBeGreaterThanOrEqual(40);
    expect(Object.keys(secrets.wordpress).sort()).toEqual([...WORDPRESS_SALT_NAMES].sort());
    expect(row.secretsCiphertext).not.toContain(secrets.database.password);
    // The first WordPress admin: the creating user's email, "admin", a generated password that
    // the caller gets once and the sealed secrets hold until the install.
    expect(row.title).toBe("blog");
    expect(wordpressAdmin).toEqual({
      username: "admin",
      email: "owner@acme.test",
      password: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
    expect(secrets.wordpressAdmin).toEqual({
      user: "admin",
      email: "owner@acme.test",
      password: wordpressAdmin?.password,
    });

    const change = await db().prisma.changeLog.findFirstOrThrow({ where: { objectId: site.id } });
    expect(change).toMatchObject({
      kind: "Site",
      action: "CREATED",
      accountId: acme.id,
      actorUserId: owner.id,
      actorIp: "203.0.113.7",
    });
    expect(JSON.stringify(change.data)).not.toContain(secrets.database.password);
    expect(JSON.stringify(change.data)).not.toContain(wordpressAdmin?.password);
  });

  it("takes the title and the admin's user name from the input, and gives plain PHP sites no admin", async () => {
    const { site, wordpressAdmin } = await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "news", domain: "news.acme.test", title: "  Acme News  ", adminUser: "editor" },
    });
    expect(wordpressAdmin).toMatchObject({ username: "editor", email: "owner@acme.test" });
    const row = await db().prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(row.title).toBe("Acme News");
    expect(openSiteSecrets(row.secretsCiphertext).wordpressAdmin?.user).toBe("editor");

    const plain = await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "static", domain: "static.acme.test", app: "PHP" },
    });
    expect(plain.wordpressAdmin).toBeNull();
    const plainRow = await db().prisma.site.findUniqueOrThrow({ where: { id: plain.site.id } });
    expect(openSiteSecrets(plainRow.secretsCiphertext).wordpressAdmin).toBeUndefined();
  });

  it("refuses a bad title or admin user name, writing nothing", async () => {
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "fine", domain: "fine.acme.test", title: "x".repeat(121), adminUser: "Admin User" },
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({
      title: "Use at most 120 characters.",
      adminUser:
        "Use only lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. admin).",
    });
    expect(await counts()).toEqual(before);
  });

  it("writes nothing for invalid input and explains each field", async () => {
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "My Blog", domain: "*.example.com" },
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({
      name: "Use lower-case letters only.",
      domain: "Wildcard domains are not supported; enter one domain name (e.g. www.example.com).",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses a name already used in the account", async () => {
    await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "shop", domain: "shop.acme.test" },
    });
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "shop", domain: "shop2.acme.test" },
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.fieldErrors).toEqual({ name: 'A site named "shop" already exists in this account.' });
    expect(await counts()).toEqual(before);
  });

  it("refuses a domain used by another account without saying whose", async () => {
    await createSite({
      actor: { userId: stranger.id },
      accountId: globex.id,
      input: { name: "www", domain: "taken.test" },
    });
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "other", domain: "TAKEN.test" },
      }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(err.fieldErrors).toEqual({
      domain: "This domain is not available. Choose another domain, or contact your provider if it is yours.",
    });
    expect(err.message).not.toContain("globex");
    expect(await counts()).toEqual(before);
  });

  it("maps a unique-index race on the domain to the same conflict", async () => {
    const p = db().prisma;
    const site = await p.site.findFirstOrThrow({ where: { accountId: acme.id } });
    const raced = await p.domain
      .create({ data: { siteId: site.id, hostname: "race.test" } })
      .then(() =>
        p.domain.create({ data: { siteId: site.id, hostname: "race.test" } }).catch((e: unknown) => e),
      );
    const err = uniqueViolationToConflict(raced, {
      name: "x",
      domain: "race.test",
      app: "PHP",
      phpVersion: "8.3",
      adminUser: "admin",
    });
    expect(err?.code).toBe("CONFLICT");
    expect(err?.fieldErrors).toEqual({
      domain: "This domain is not available. Choose another domain, or contact your provider if it is yours.",
    });
  });

  it("refuses a viewer with FORBIDDEN and writes nothing", async () => {
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: viewer.id },
        accountId: acme.id,
        input: { name: "nope", domain: "nope.test" },
      }),
    );
    expect(err.code).toBe("FORBIDDEN");
    expect(await counts()).toEqual(before);
  });

  it("answers NOT_FOUND for a foreign or unknown account", async () => {
    const before = await counts();
    for (const accountId of [acme.id, "does-not-exist"]) {
      const err = await rejection(
        createSite({ actor: { userId: stranger.id }, accountId, input: { name: "x", domain: "x.test" } }),
      );
      expect(err.code).toBe("NOT_FOUND");
    }
    expect(await counts()).toEqual(before);
  });

  it("lets a role on an ancestor account act on descendants", async () => {
    const { site } = await createSite({
      actor: { userId: resellerAdmin.id },
      accountId: acme.id,
      input: { name: "from-reseller", domain: "reseller.acme.test", app: "PHP", phpVersion: "8.2" },
    });
    expect(site).toMatchObject({ app: "PHP", phpVersion: "8.2" });
  });
});

describe("createSite and the runtime catalog", () => {
  it("refuses a PHP version the catalog does not offer, naming the ones it does, and writes nothing", async () => {
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "legacy", domain: "legacy.acme.test", phpVersion: "7.4" },
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({ phpVersion: "PHP 7.4 is not offered here. Choose one of: 8.4, 8.2." });
    expect(await counts()).toEqual(before);
  });

  it("refuses a version that is in the catalog but no longer offered", async () => {
    const p = db().prisma;
    await p.runtimeImage.update({ where: { phpVersion: "8.2" }, data: { enabled: false } });
    try {
      const before = await counts();
      const err = await rejection(
        createSite({
          actor: { userId: owner.id },
          accountId: acme.id,
          input: { name: "old", domain: "old.acme.test", phpVersion: "8.2" },
        }),
      );
      expect(err.fieldErrors).toEqual({ phpVersion: "PHP 8.2 is not offered here. Choose one of: 8.4." });
      expect(await counts()).toEqual(before);
    } finally {
      await p.runtimeImage.update({ where: { phpVersion: "8.2" }, data: { enabled: true } });
    }
  });

  it("refuses every site while the catalog offers nothing, saying why, and writes nothing", async () => {
    const p = db().prisma;
    await p.runtimeImage.updateMany({ data: { enabled: false } });
    try {
      const before = await counts();
      const err = await rejection(
        createSite({
          actor: { userId: owner.id },
          accountId: acme.id,
          input: { name: "none", domain: "none.test" },
        }),
      );
      expect(err.code).toBe("INVALID_INPUT");
      expect(err.message).toBe(
        "The hosting provider has not registered any PHP runtime yet, so no site can be created. Ask them to add one.",
      );
      expect(await counts()).toEqual(before);
    } finally {
      await p.runtimeImage.updateMany({ data: { enabled: true } });
    }
  });
});

describe("createSite and platform hostnames", () => {
  it("gives a pair of names that spells another site's label the hashed form, never the same hostname", async () => {
    // "blog" in "acme" has blog-acme; a site "blog" in an account "x-acme"... spelled by "blog-x" in "acme".
    const xAcme = await createTestAccount(db().prisma, { slug: "x-acme", parent: reseller });
    const xOwner = await createTestUser(db().prisma, {
      email: "owner@x-acme.test",
      roles: [{ account: xAcme, role: "OWNER" }],
    });
    const first = await createSite({
      actor: { userId: xOwner.id },
      accountId: xAcme.id,
      input: { name: "blog", domain: "blog.x-acme.test" },
    });
    const second = await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "blog-x", domain: "blog-x.acme.test" },
    });
    expect(first.site.platformHostname).toBe("blog-x-acme.localhost");
    expect(second.site.platformHostname).toMatch(/^blog-x-acme-[0-9a-f]{10}\.localhost$/);
  });

  it("shortens a pair too long for a DNS label to a stable hashed label", async () => {
    const longSlug = "a-customer-with-a-rather-long-short-name";
    expect(longSlug).toHaveLength(40);
    const account = await createTestAccount(db().prisma, { slug: longSlug, parent: reseller });
    const site = await createSite({
      actor: { userId: resellerAdmin.id },
      accountId: account.id,
      input: { name: "the-company-website-with-its-long-name", domain: "long.example.test" },
    });
    const label = site.site.platformHostname.replace(/\.localhost$/, "");
    expect(label).toHaveLength(63);
    expect(label).toMatch(/^the-company-website-with-its-long-name-a-customer-wi-[0-9a-f]{10}$/);
  });

  it("refuses a domain under the platform hostnames' base domain: those names are the platform's", async () => {
    const before = await counts();
    const err = await rejection(
      createSite({
        actor: { userId: owner.id },
        accountId: acme.id,
        input: { name: "squat", domain: "blog-x-acme.localhost" },
      }),
    );
    expect(err.fieldErrors).toEqual({
      domain: "This domain is not available. Choose another domain, or contact your provider if it is yours.",
    });
    const previous = process.env.SITEPOD_SITES_BASE_DOMAIN;
    process.env.SITEPOD_SITES_BASE_DOMAIN = "sites.example.net";
    try {
      const below = await rejection(
        createSite({
          actor: { userId: owner.id },
          accountId: acme.id,
          input: { name: "squat", domain: "blog-acme.sites.example.net" },
        }),
      );
      expect(below.code).toBe("CONFLICT");
    } finally {
      if (previous === undefined) delete process.env.SITEPOD_SITES_BASE_DOMAIN;
      else process.env.SITEPOD_SITES_BASE_DOMAIN = previous;
    }
    expect(await counts()).toEqual(before);
  });
});

describe("listSites and getSite", () => {
  it("lists the account's sites to its viewers by name", async () => {
    const sites = await listSites({ actor: { userId: viewer.id }, accountId: acme.id });
    expect(sites.map((s) => s.name)).toEqual(["blog", "blog-x", "from-reseller", "news", "shop", "static"]);
    expect(sites.every((s) => s.accountId === acme.id)).toBe(true);
  });

  it("answers NOT_FOUND for foreign accounts and foreign site ids", async () => {
    const acmeSite = (await listSites({ actor: { userId: owner.id }, accountId: acme.id }))[0];
    expect(acmeSite).toBeDefined();
    expect((await rejection(listSites({ actor: { userId: stranger.id }, accountId: acme.id }))).code).toBe(
      "NOT_FOUND",
    );
    expect(
      (await rejection(getSite({ actor: { userId: stranger.id }, siteId: acmeSite?.id ?? "" }))).code,
    ).toBe("NOT_FOUND");
    expect((await rejection(getSite({ actor: { userId: owner.id }, siteId: "nope" }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await getSite({ actor: { userId: viewer.id }, siteId: acmeSite?.id ?? "" })).toEqual(acmeSite);
  });
});

describe("deleteSite", () => {
  it("marks the site DELETING, bumps its generation and records one UPDATED change, idempotently", async () => {
    const { site } = await createSite({
      actor: { userId: owner.id },
      accountId: acme.id,
      input: { name: "doomed", domain: "doomed.test" },
    });
    const before = await counts();
    const deleted = await deleteSite({ actor: { userId: owner.id, ip: "198.51.100.1" }, siteId: site.id });
    expect(deleted).toMatchObject({ id: site.id, phase: "DELETING", generation: 2 });
    expect(deleted.deletionRequestedAt).not.toBeNull();
    expect(await counts()).toEqual({ ...before, changes: before.changes + 1 });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { objectId: site.id, action: "UPDATED" },
    });
    expect(change).toMatchObject({
      kind: "Site",
      accountId: acme.id,
      actorUserId: owner.id,
      actorIp: "198.51.100.1",
    });

    const again = await deleteSite({ actor: { userId: owner.id }, siteId: site.id });
    expect(again).toMatchObject({ phase: "DELETING", generation: 2 });
    expect(await counts()).toEqual({ ...before, changes: before.changes + 1 });

    const listed = await listSites({ actor: { userId: owner.id }, accountId: acme.id });
    expect(listed.find((s) => s.id === site.id)?.phase).toBe("DELETING");
  });

  it("refuses viewers (FORBIDDEN) and strangers (NOT_FOUND) without writing", async () => {
    const site = (await listSites({ actor: { userId: owner.id }, accountId: acme.id })).find(
      (s) => s.name === "shop",
    );
    const siteId = site?.id ?? "";
    const before = await counts();
    expect((await rejection(deleteSite({ actor: { userId: viewer.id }, siteId }))).code).toBe("FORBIDDEN");
    expect((await rejection(deleteSite({ actor: { userId: stranger.id }, siteId }))).code).toBe("NOT_FOUND");
    expect(await counts()).toEqual(before);
    expect((await getSite({ actor: { userId: owner.id }, siteId })).phase).toBe("PROVISIONING");
  });
});
