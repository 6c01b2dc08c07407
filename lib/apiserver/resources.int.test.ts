/**
 * Every kind of hosting.sitepod.io through the API server's HTTP interface, with the services'
 * authorization and validation, and the errors as Kubernetes Status objects.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import {
  apiRequest,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();

const G = "/apis/hosting.sitepod.io/v1alpha1";
let server: TestApiServer;
let platform: Account;
let acme: Account;
let globex: Account;
let owner: User;

/** Real API tokens, each its user's on their own account with their role. */
const TOKENS = { owner: "", viewer: "", admin: "", globex: "" };
type Who = keyof typeof TOKENS;

beforeAll(async () => {
  const p = db().prisma;
  platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  const viewer = await createTestUser(p, {
    email: "viewer@acme.test",
    roles: [{ account: acme, role: "VIEWER" }],
  });
  const admin = await createTestUser(p, {
    email: "admin@platform.test",
    roles: [{ account: platform, role: "ADMIN" }],
  });
  const globexOwner = await createTestUser(p, {
    email: "o@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  await p.databaseServer.create({
    data: { name: "MariaDB (local)", engine: "MYSQL", host: "127.0.0.1", port: 3306, adminUser: "root" },
  });
  await p.plan.create({
    data: {
      ownerAccountId: platform.id,
      name: "Starter",
      maxSites: 3,
      maxDomains: 10,
      maxDatabases: 3,
      maxCronJobs: 5,
      storageGiB: 20,
      cpuMillicores: 2000,
      memoryMiB: 4096,
      backupsKept: 3,
    },
  });
  TOKENS.owner = await createTestToken({ userId: owner.id, accountId: acme.id });
  TOKENS.viewer = await createTestToken({ userId: viewer.id, accountId: acme.id });
  TOKENS.admin = await createTestToken({ userId: admin.id, accountId: platform.id });
  TOKENS.globex = await createTestToken({ userId: globexOwner.id, accountId: globex.id });
  server = await startTestApiServer({});
});

afterAll(async () => {
  await server?.close();
});

function call(
  who: Who | null,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return apiRequest(server, {
    method,
    path,
    ...(who ? { token: TOKENS[who] } : {}),
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    headers,
  });
}

const merge = { "content-type": "application/merge-patch+json" };

function object(
  kind: string,
  name: string,
  spec: Record<string, unknown>,
  metadata: Record<string, unknown> = {},
) {
  return { apiVersion: "hosting.sitepod.io/v1alpha1", kind, metadata: { name, ...metadata }, spec };
}

async function counts() {
  const p = db().prisma;
  const [sites, domains, cronJobs, databases, users, accounts, changes, metas] = await Promise.all([
    p.site.count(),
    p.domain.count(),
    p.cronJob.count(),
    p.database.count(),
    p.databaseUser.count(),
    p.account.count(),
    p.changeLog.count(),
    p.apiObjectMeta.count(),
  ]);
  return { sites, domains, cronJobs, databases, users, accounts, changes, metas };
}

describe("sites, domains and cron jobs", () => {
  it("creates a site with settings in one go, and its primary domain appears as a Domain", async () => {
    const res = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/sites`,
      object("Site", "blog", {
        app: "WORDPRESS",
        primaryDomain: "blog.acme.test",
        php: { memoryLimit: "192M" },
        env: [{ name: "API_URL", value: "https://api.test" }],
        forceHttps: true,
      }),
    );
    expect(res.status).toBe(201);
    const site = res.json() as {
      status: Record<string, unknown>;
      spec: Record<string, unknown>;
      metadata: Record<string, unknown>;
    };
    expect(site.spec).toMatchObject({
      app: "WORDPRESS",
      php: { memoryLimit: "192M" },
      env: [{ name: "API_URL", value: "https://api.test" }],
      forceHttps: true,
    });
    // WordPress's first admin, in this response only.
    expect(site.status.wordpressAdmin).toMatchObject({ username: "admin", email: "owner@acme.test" });
    const again = (await call("owner", "GET", `${G}/namespaces/acme/sites/blog`)).json() as typeof site;
    expect(again.status.wordpressAdmin).toBeUndefined();
    expect(again.metadata.resourceVersion).toBe(site.metadata.resourceVersion);

    const domain = (await call("owner", "GET", `${G}/namespaces/acme/domains/blog.acme.test`)).json() as {
      spec: unknown;
      status: { primary: boolean };
    };
    expect(domain.spec).toEqual({ site: "blog", redirectToPrimary: false });
    expect(domain.status.primary).toBe(true);
  });

  it("adds a domain, makes it primary through the site, and removes the old one", async () => {
    const add = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/domains`,
      object("Domain", "www.blog.acme.test", { site: "blog" }),
    );
    expect(add.status).toBe(201);
    const primary = await call(
      "owner",
      "PATCH",
      `${G}/namespaces/acme/sites/blog`,
      { spec: { primaryDomain: "www.blog.acme.test" } },
      merge,
    );
    expect(primary.status).toBe(200);
    expect((primary.json() as { spec: { primaryDomain: string } }).spec.primaryDomain).toBe(
      "www.blog.acme.test",
    );

    const removePrimary = await call("owner", "DELETE", `${G}/namespaces/acme/domains/www.blog.acme.test`);
    expect(removePrimary.status).toBe(409);
    expect(removePrimary.json()).toMatchObject({
      reason: "Conflict",
      message: expect.stringContaining("primary domain"),
    });

    const removed = await call("owner", "DELETE", `${G}/namespaces/acme/domains/blog.acme.test`);
    expect(removed.status).toBe(200);
    expect(removed.json()).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "blog.acme.test", kind: "domains" },
    });
    expect((await call("owner", "GET", `${G}/namespaces/acme/domains/blog.acme.test`)).status).toBe(404);
  });

  it("refuses a domain whose name is not its normal form, and one of an unknown site", async () => {
    const upper = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/domains`,
      object("Domain", "Shop.acme.test", { site: "blog" }),
    );
    expect(upper.status).toBe(422);
    expect(upper.json()).toMatchObject({
      reason: "Invalid",
      details: { causes: [expect.objectContaining({ field: "metadata.name" })] },
    });
    const noSite = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/domains`,
      object("Domain", "x.acme.test", { site: "nope" }),
    );
    expect(noSite.status).toBe(422);
    expect(JSON.stringify(noSite.json())).toContain('there is no site named \\"nope\\"');
  });

  it("creates, pauses and deletes a cron job named <site>.<job>", async () => {
    const bad = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/cronjobs`,
      object("CronJob", "blog.nightly", { schedule: "0 3 * *", command: "php cron.php" }),
    );
    expect(bad.status).toBe(422);
    expect(bad.json()).toMatchObject({
      reason: "Invalid",
      details: {
        kind: "CronJob",
        causes: [
          expect.objectContaining({
            field: "spec.schedule",
            message: expect.stringContaining("five fields"),
          }),
        ],
      },
    });
    const created = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/cronjobs`,
      object("CronJob", "blog.nightly", { schedule: "0 3 * * *", command: "php cron.php" }),
    );
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      metadata: { name: "blog.nightly", namespace: "acme", generation: 1 },
      spec: { enabled: true, concurrencyPolicy: "FORBID" },
      status: { phase: "ACTIVE", scheduleText: expect.stringContaining("03:00") },
    });
    const paused = await call(
      "owner",
      "PATCH",
      `${G}/namespaces/acme/cronjobs/blog.nightly`,
      { spec: { enabled: false } },
      merge,
    );
    expect(paused.json()).toMatchObject({
      spec: { enabled: false },
      status: { phase: "PAUSED" },
      metadata: { generation: 2 },
    });
    const badName = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/cronjobs`,
      object("CronJob", "nightly", { schedule: "0 3 * * *", command: "x" }),
    );
    expect(badName.status).toBe(422);
    const deleted = await call("owner", "DELETE", `${G}/namespaces/acme/cronjobs/blog.nightly`);
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toMatchObject({
      metadata: { deletionTimestamp: expect.any(String), finalizers: ["hosting.sitepod.io/cleanup"] },
      status: { phase: "DELETING" },
    });
  });
});

describe("databases and database users", () => {
  it("creates a database by its full name on a named server; refuses another account's prefix", async () => {
    const wrong = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/databases`,
      object("Database", "globex_shop", { server: "MariaDB (local)" }),
    );
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(wrong.json())).toContain("start with acme_");
    const noServer = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/databases`,
      object("Database", "acme_shop", { server: "Oracle" }),
    );
    expect(noServer.status).toBe(422);
    expect(noServer.json()).toMatchObject({
      details: { causes: [expect.objectContaining({ field: "spec.server" })] },
    });
    const created = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/databases`,
      object("Database", "acme_shop", { server: "MariaDB (local)" }),
    );
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      spec: { server: "MariaDB (local)" },
      status: { phase: "PROVISIONING", engine: "MYSQL" },
    });
    const again = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/databases`,
      object("Database", "acme_shop", { server: "MariaDB (local)" }),
    );
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({
      reason: "AlreadyExists",
      message: 'databases.hosting.sitepod.io "acme_shop" already exists',
    });
    const moved = await call(
      "owner",
      "PATCH",
      `${G}/namespaces/acme/databases/acme_shop`,
      { spec: { server: "Other" } },
      merge,
    );
    expect(moved.status).toBe(422);
    expect(JSON.stringify(moved.json())).toContain("field is immutable");
  });

  it("shows a new user's password in the creation's response only", async () => {
    const created = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/databaseusers`,
      object("DatabaseUser", "acme_app", { server: "MariaDB (local)" }),
    );
    expect(created.status).toBe(201);
    const password = (created.json() as { status: { password?: string } }).status.password;
    expect(password).toMatch(/.{16,}/);
    expect(String(created.headers.warning)).toContain("never shown again");
    const read = await call("owner", "GET", `${G}/namespaces/acme/databaseusers/acme_app`);
    expect(JSON.stringify(read.json())).not.toContain(password as string);
  });
});

describe("accounts", () => {
  it("lists what the caller reaches, cluster-wide", async () => {
    const mine = (await call("owner", "GET", `${G}/accounts`)).json() as {
      items: { metadata: { name: string } }[];
    };
    expect(mine.items.map((a) => a.metadata.name)).toEqual(["acme"]);
    const all = (await call("admin", "GET", `${G}/accounts`)).json() as {
      items: { metadata: { name: string } }[];
    };
    expect(all.items.map((a) => a.metadata.name)).toEqual(["acme", "globex", "platform"]);
  });

  it("lets a provider create a customer on a plan and suspend it; not the customer itself", async () => {
    const created = await call(
      "admin",
      "POST",
      `${G}/accounts`,
      object("Account", "initech", {
        displayName: "Initech",
        kind: "CUSTOMER",
        parent: "platform",
        plan: "Starter",
      }),
    );
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({
      metadata: { name: "initech" },
      spec: { plan: "Starter", suspended: false },
      status: { phase: "ACTIVE" },
    });
    const suspended = await call(
      "admin",
      "PATCH",
      `${G}/accounts/initech`,
      { spec: { suspended: true, suspensionReason: "unpaid" } },
      merge,
    );
    expect(suspended.json()).toMatchObject({
      spec: { suspended: true, suspensionReason: "unpaid" },
      status: { phase: "SUSPENDED" },
    });

    const self = await call("owner", "PATCH", `${G}/accounts/acme`, { spec: { plan: "Starter" } }, merge);
    expect(self.status).toBe(403);
    expect(self.json()).toMatchObject({ reason: "Forbidden", message: expect.stringContaining("provider") });
  });
});

describe("authorization", () => {
  it("answers a foreign namespace as empty and its objects as not found", async () => {
    const list = await call("globex", "GET", `${G}/namespaces/acme/sites`);
    expect(list.status).toBe(200);
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
    const get = await call("globex", "GET", `${G}/namespaces/acme/sites/blog`);
    expect(get.status).toBe(404);
    expect(get.json()).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      message: 'sites.hosting.sitepod.io "blog" not found',
    });
    const before = await counts();
    const patch = await call(
      "globex",
      "PATCH",
      `${G}/namespaces/acme/sites/blog`,
      { metadata: { labels: { x: "y" } } },
      merge,
    );
    expect(patch.status).toBe(404);
    const create = await call(
      "globex",
      "POST",
      `${G}/namespaces/acme/sites`,
      object("Site", "evil", { primaryDomain: "evil.test" }),
    );
    expect(create.status).toBe(404);
    expect(create.json()).toMatchObject({ message: 'namespaces "acme" not found' });
    expect(await counts()).toEqual(before);
    const all = (await call("globex", "GET", `${G}/sites`)).json() as { items: unknown[] };
    expect(all.items).toEqual([]);
  });

  it("lets a viewer read and refuses its writes with Forbidden, writing nothing", async () => {
    expect((await call("viewer", "GET", `${G}/namespaces/acme/sites/blog`)).status).toBe(200);
    const before = await counts();
    const patch = await call(
      "viewer",
      "PATCH",
      `${G}/namespaces/acme/sites/blog`,
      { metadata: { labels: { x: "y" } } },
      merge,
    );
    expect(patch.status).toBe(403);
    expect(patch.json()).toMatchObject({
      reason: "Forbidden",
      message: expect.stringContaining('sites.hosting.sitepod.io "blog" is forbidden'),
    });
    const del = await call("viewer", "DELETE", `${G}/namespaces/acme/sites/blog`);
    expect(del.status).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("refuses requests without a valid token with 401, except /version", async () => {
    const none = await call(null, "GET", `${G}/namespaces/acme/sites`);
    expect(none.status).toBe(401);
    expect(none.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    expect((await call(null, "GET", "/apis")).status).toBe(401);
    expect((await call(null, "GET", "/version")).json()).toMatchObject({ major: "1", minor: "36" });
  });
});

describe("bad input", () => {
  it("refuses a body over 3 MiB with 413 and writes nothing", async () => {
    const before = await counts();
    const huge = JSON.stringify(
      object(
        "Site",
        "huge",
        { primaryDomain: "huge.test" },
        { annotations: { big: "x".repeat(3 * 1024 * 1024) } },
      ),
    );
    const res = await call("owner", "POST", `${G}/namespaces/acme/sites`, huge);
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({
      reason: "RequestEntityTooLarge",
      message: "Request entity too large: limit is 3145728",
    });
    expect(await counts()).toEqual(before);
  });

  it("refuses unknown fields under fieldValidation=Strict, warns by default", async () => {
    const before = await counts();
    const body = object("Site", "strict", {
      primaryDomain: "strict.acme.test",
      colour: "blue",
      php: { memoryLimt: "1G" },
    });
    const strict = await call("owner", "POST", `${G}/namespaces/acme/sites?fieldValidation=Strict`, body);
    expect(strict.status).toBe(400);
    expect(strict.json()).toMatchObject({
      reason: "BadRequest",
      message: 'strict decoding error: unknown field "spec.colour", unknown field "spec.php.memoryLimt"',
    });
    expect(await counts()).toEqual(before);
    const warned = await call("owner", "POST", `${G}/namespaces/acme/sites?dryRun=All`, body);
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe(
      '299 - "unknown field \\"spec.colour\\"", 299 - "unknown field \\"spec.php.memoryLimt\\""',
    );
    expect(await counts()).toEqual(before);
  });

  it("refuses a site the plan has no room for with 403 Forbidden, saying why, and writes nothing", async () => {
    const p = db().prisma;
    const none = await p.plan.create({
      data: {
        ownerAccountId: platform.id,
        name: "No sites",
        maxSites: 0,
        maxDomains: 0,
        maxDatabases: 0,
        maxCronJobs: 0,
        storageGiB: 0,
        cpuMillicores: 0,
        memoryMiB: 0,
        backupsKept: 0,
      },
    });
    const hooli = await createTestAccount(p, { slug: "hooli", parent: platform });
    await p.account.update({ where: { id: hooli.id }, data: { planId: none.id } });
    const before = await counts();
    const res = await call(
      "admin",
      "POST",
      `${G}/namespaces/hooli/sites`,
      object("Site", "blog", { primaryDomain: "blog.hooli.test" }),
    );
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({
      reason: "Forbidden",
      message: expect.stringMatching(/^sites\.hosting\.sitepod\.io "blog" is forbidden: .*site/),
    });
    expect(await counts()).toEqual(before);
  });

  it("serves lists at the current resourceVersion only, as a cache without history does", async () => {
    const current = (await call("owner", "GET", `${G}/namespaces/acme/sites`)).json() as {
      metadata: { resourceVersion: string };
    };
    const rv = current.metadata.resourceVersion;
    expect(
      (
        await call(
          "owner",
          "GET",
          `${G}/namespaces/acme/sites?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`,
        )
      ).status,
    ).toBe(200);
    const stale = await call(
      "owner",
      "GET",
      `${G}/namespaces/acme/sites?resourceVersion=1&resourceVersionMatch=Exact`,
    );
    expect(stale.status).toBe(410);
    expect(stale.json()).toMatchObject({ reason: "Expired" });
    const future = await call("owner", "GET", `${G}/namespaces/acme/sites?resourceVersion=99999999`);
    expect(future.status).toBe(504);
    expect(future.json()).toMatchObject({
      reason: "Timeout",
      message: expect.stringContaining("Too large resource version"),
    });
  });

  it("refuses names that are not DNS labels, wrong kinds, bad JSON and bad selectors", async () => {
    const before = await counts();
    const badName = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/sites`,
      object("Site", "1Blog", { primaryDomain: "b.test" }),
    );
    expect(badName.status).toBe(422);
    expect(badName.json()).toMatchObject({
      reason: "Invalid",
      details: {
        causes: [
          {
            reason: "FieldValueInvalid",
            field: "metadata.name",
            message: expect.stringContaining("lower-case"),
          },
        ],
      },
    });
    const wrongKind = await call("owner", "POST", `${G}/namespaces/acme/sites`, object("Domain", "x", {}));
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json()).toMatchObject({
      message: "the kind in the data (Domain) does not match the expected kind (Site)",
    });
    const badJson = await call("owner", "POST", `${G}/namespaces/acme/sites`, "{nope");
    expect(badJson.status).toBe(400);
    const badSelector = await call(
      "owner",
      "GET",
      `${G}/namespaces/acme/sites?labelSelector=${encodeURIComponent("a in b")}`,
    );
    expect(badSelector.status).toBe(400);
    const badField = await call("owner", "GET", `${G}/namespaces/acme/sites?fieldSelector=spec.app%3DPHP`);
    expect(badField.json()).toMatchObject({
      reason: "BadRequest",
      message: "field label not supported: spec.app",
    });
    const badDryRun = await call(
      "owner",
      "POST",
      `${G}/namespaces/acme/sites?dryRun=Some`,
      object("Site", "x", {}),
    );
    expect(badDryRun.status).toBe(422);
    const planLimit = await call(
      "owner",
      "PATCH",
      `${G}/namespaces/acme/sites/blog`,
      { spec: { resources: { memoryMiB: 16384 } } },
      merge,
    );
    expect(planLimit.status).toBe(200);
    const immutable = await call(
      "owner",
      "PATCH",
      `${G}/namespaces/acme/sites/blog`,
      { spec: { app: "PHP" } },
      merge,
    );
    expect(immutable.status).toBe(422);
    expect(immutable.json()).toMatchObject({
      details: {
        causes: [
          expect.objectContaining({ field: "spec.app", message: expect.stringContaining("immutable") }),
        ],
      },
    });
    const changesBefore = before.changes;
    expect((await counts()).changes).toBe(changesBefore + 1);
  });
});
