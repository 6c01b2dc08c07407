/**
 * Authorization of every verb on every kind of hosting.sitepod.io, with real API tokens: a user of
 * another account, or a token of the owner's made for an account below, cannot tell the objects
 * exist (NotFound, empty lists); a viewer, or the owner's viewer-role token, reads but every write
 * is Forbidden; revoked, expired, forged and missing tokens are Unauthorized for every verb; a
 * token revoked during a watch ends it; and no refusal writes anything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiToken, parseApiToken } from "@/lib/auth/api-token-format";
import type { Account, User } from "@/lib/generated/prisma/client";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";
import {
  apiRequest,
  apiWatch,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const db = withTestDatabase();
const G = "/apis/hosting.sitepod.io/v1alpha1";
let server: TestApiServer;
let acme: Account;
let owner: User;
/** Real API tokens: each user's on their own account with their role. */
const tokens = {
  owner: "",
  viewer: "",
  foreign: "",
  /** The owner's, on acme with the viewer role. */
  ownerAsViewer: "",
  /** The owner's, on an account below acme: acme's own objects are outside it. */
  ownerBelow: "",
  revoked: "",
  expired: "",
  /** Well-formed, unknown. */
  forged: "",
  /** Good, but its user must first set up two-factor sign-in (their account requires it). */
  noTwoFactor: "",
};
type Who = keyof typeof tokens;

interface Kind {
  plural: string;
  kind: string;
  name: string;
  namespaced: boolean;
  /** A second object a create would make. */
  create: { name: string; spec: Record<string, unknown> };
}

const KINDS: Kind[] = [
  {
    plural: "sites",
    kind: "Site",
    name: "blog",
    namespaced: true,
    create: { name: "shop", spec: { app: "PHP", primaryDomain: "shop.acme.test" } },
  },
  {
    plural: "domains",
    kind: "Domain",
    name: "blog.acme.test",
    namespaced: true,
    create: { name: "www.blog.acme.test", spec: { site: "blog" } },
  },
  {
    plural: "cronjobs",
    kind: "CronJob",
    name: "blog.nightly",
    namespaced: true,
    create: { name: "blog.hourly", spec: { schedule: "0 * * * *", command: "true" } },
  },
  {
    plural: "databases",
    kind: "Database",
    name: "acme_shop",
    namespaced: true,
    create: { name: "acme_more", spec: { server: "MariaDB (local)" } },
  },
  {
    plural: "databaseusers",
    kind: "DatabaseUser",
    name: "acme_app",
    namespaced: true,
    create: { name: "acme_other", spec: { server: "MariaDB (local)" } },
  },
  {
    plural: "accounts",
    kind: "Account",
    name: "acme",
    namespaced: false,
    create: { name: "newco", spec: { displayName: "NewCo", kind: "CUSTOMER", parent: "acme" } },
  },
];

function path(kind: Kind, name?: string): string {
  const base = kind.namespaced ? `${G}/namespaces/acme/${kind.plural}` : `${G}/${kind.plural}`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
}

function call(who: Who, method: string, url: string, body?: unknown, contentType = "application/json") {
  return apiRequest(server, {
    method,
    path: url,
    token: tokens[who],
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { "content-type": contentType },
  });
}

function object(kind: Kind, name: string, spec: Record<string, unknown>) {
  return { apiVersion: "hosting.sitepod.io/v1alpha1", kind: kind.kind, metadata: { name }, spec };
}

async function snapshot() {
  const p = db().prisma;
  const [changes, metas, sites, domains, cronJobs, databases, users, accounts] = await Promise.all([
    p.changeLog.count(),
    p.apiObjectMeta.count(),
    p.site.count(),
    p.domain.count(),
    p.cronJob.count(),
    p.database.count(),
    p.databaseUser.count(),
    p.account.count(),
  ]);
  return { changes, metas, sites, domains, cronJobs, databases, users, accounts };
}

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", kind: "RESELLER", parent: platform });
  const globex = await createTestAccount(p, { slug: "globex", parent: platform });
  const below = await createTestAccount(p, { slug: "acme-client", kind: "CUSTOMER", parent: acme });
  owner = await createTestUser(p, { email: "o@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  const viewer = await createTestUser(p, {
    email: "v@acme.test",
    roles: [{ account: acme, role: "VIEWER" }],
  });
  const foreign = await createTestUser(p, {
    email: "o@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  await p.databaseServer.create({
    data: { name: "MariaDB (local)", engine: "MYSQL", host: "127.0.0.1", port: 3306, adminUser: "root" },
  });
  tokens.owner = await createTestToken({ userId: owner.id, accountId: acme.id });
  tokens.viewer = await createTestToken({ userId: viewer.id, accountId: acme.id });
  tokens.foreign = await createTestToken({ userId: foreign.id, accountId: globex.id });
  tokens.ownerAsViewer = await createTestToken({ userId: owner.id, accountId: acme.id, role: "VIEWER" });
  tokens.ownerBelow = await createTestToken({ userId: owner.id, accountId: below.id });
  tokens.revoked = await createTestToken({ userId: owner.id, accountId: acme.id, state: "revoked" });
  tokens.expired = await createTestToken({ userId: owner.id, accountId: acme.id, state: "expired" });
  tokens.forged = generateApiToken().token;
  const initech = await createTestAccount(p, { slug: "initech", parent: platform });
  const initechOwner = await createTestUser(p, {
    email: "o@initech.test",
    roles: [{ account: initech, role: "OWNER" }],
  });
  tokens.noTwoFactor = await createTestToken({ userId: initechOwner.id, accountId: initech.id });
  await p.account.update({ where: { id: initech.id }, data: { requireTwoFactor: true } });
  server = await startTestApiServer({ watchRecheckMs: 200 });
  const fixtures: [Kind["plural"], Record<string, unknown>][] = [
    ["sites", { app: "PHP", primaryDomain: "blog.acme.test" }],
    ["cronjobs", { schedule: "0 3 * * *", command: "true" }],
    ["databases", { server: "MariaDB (local)" }],
    ["databaseusers", { server: "MariaDB (local)" }],
  ];
  for (const [plural, spec] of fixtures) {
    const kind = KINDS.find((k) => k.plural === plural) as Kind;
    const res = await call("owner", "POST", path(kind), object(kind, kind.name, spec));
    expect(res.status, res.text).toBe(201);
  }
});

afterAll(async () => {
  await server?.close();
});

const OUTSIDERS = [
  { who: "foreign", as: "another account's user" },
  { who: "ownerBelow", as: "the owner's token for an account below" },
] as const;
const READERS = [
  { who: "viewer", as: "a viewer" },
  { who: "ownerAsViewer", as: "the owner's viewer-role token" },
] as const;

describe.each(KINDS)("$kind", (kind) => {
  for (const { who, as } of OUTSIDERS)
    it(`is invisible to ${as}, and refuses its writes as NotFound`, async () => {
      const before = await snapshot();
      expect((await call(who, "GET", path(kind, kind.name))).json()).toMatchObject({
        code: 404,
        reason: "NotFound",
      });
      const list = (await call(who, "GET", path(kind))).json() as {
        items: { metadata: { name: string } }[];
      };
      expect(list.items.map((i) => i.metadata.name)).not.toContain(kind.name);
      const patch = await call(
        who,
        "PATCH",
        path(kind, kind.name),
        { metadata: { labels: { x: "y" } } },
        "application/merge-patch+json",
      );
      expect(patch.json()).toMatchObject({ code: 404, reason: "NotFound" });
      expect((await call(who, "DELETE", path(kind, kind.name))).json()).toMatchObject({ code: 404 });
      const create = await call(who, "POST", path(kind), object(kind, kind.create.name, kind.create.spec));
      // Into a foreign namespace: NotFound; an Account below a foreign parent: that parent is "not
      // found", as one that does not exist.
      expect([404, 422]).toContain((create.json() as { code: number }).code);
      expect(create.text).not.toContain("acme_");
      expect(await snapshot()).toEqual(before);
    });

  for (const { who, as } of READERS)
    it(`lets ${as} read it and refuses its writes as Forbidden`, async () => {
      const before = await snapshot();
      expect((await call(who, "GET", path(kind, kind.name))).status).toBe(200);
      const list = (await call(who, "GET", path(kind))).json() as {
        items: { metadata: { name: string } }[];
      };
      expect(list.items.map((i) => i.metadata.name)).toContain(kind.name);
      const patch = await call(
        who,
        "PATCH",
        path(kind, kind.name),
        { metadata: { labels: { x: "y" } } },
        "application/merge-patch+json",
      );
      expect(patch.json()).toMatchObject({ code: 403, reason: "Forbidden" });
      expect((await call(who, "DELETE", path(kind, kind.name))).json()).toMatchObject({
        code: 403,
        reason: "Forbidden",
      });
      const create = await call(who, "POST", path(kind), object(kind, kind.create.name, kind.create.spec));
      expect(create.json()).toMatchObject({ code: 403, reason: "Forbidden" });
      const apply = await apiRequest(server, {
        method: "PATCH",
        path: `${path(kind, kind.name)}?fieldManager=test`,
        token: tokens[who],
        body: JSON.stringify(object(kind, kind.name, {})),
        headers: { "content-type": "application/apply-patch+yaml" },
      });
      expect(apply.json()).toMatchObject({ code: 403 });
      expect(await snapshot()).toEqual(before);
    });
});

const REFUSED_TOKENS = [
  { who: "revoked", as: "a revoked token", code: 401, reason: "Unauthorized", message: /revoked/ },
  { who: "expired", as: "an expired token", code: 401, reason: "Unauthorized", message: /expired/ },
  { who: "forged", as: "a forged token", code: 401, reason: "Unauthorized", message: /not valid/ },
  {
    who: "noTwoFactor",
    as: "the token of a user who has not set up the two-factor sign-in their account requires",
    code: 403,
    reason: "Forbidden",
    message: /two-factor/,
  },
] as const;

describe("tokens that may not be used", () => {
  for (const refusal of REFUSED_TOKENS)
    it(`answers ${refusal.as} ${refusal.code} for every verb and writes nothing`, async () => {
      const before = await snapshot();
      const site = KINDS[0] as Kind;
      const answers = [
        await call(refusal.who, "GET", `${G}/sites`),
        await call(refusal.who, "GET", path(site)),
        await call(refusal.who, "GET", path(site, site.name)),
        await call(refusal.who, "GET", `${path(site)}?watch=1&timeoutSeconds=1`),
        await call(refusal.who, "POST", path(site), object(site, site.create.name, site.create.spec)),
        await call(
          refusal.who,
          "PATCH",
          path(site, site.name),
          { metadata: { labels: { x: "y" } } },
          "application/merge-patch+json",
        ),
        await call(
          refusal.who,
          "PATCH",
          `${path(site, site.name)}?fieldManager=test`,
          object(site, site.name, {}),
          "application/apply-patch+yaml",
        ),
        await call(refusal.who, "DELETE", path(site, site.name)),
        await call(refusal.who, "GET", "/apis"),
      ];
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(refusal.code);
        const status = answer.json() as { kind: string; reason: string; message: string };
        expect(status).toMatchObject({ kind: "Status", code: refusal.code, reason: refusal.reason });
        expect(status.message).toMatch(refusal.message);
      }
      expect(await snapshot()).toEqual(before);
    });

  it("answers a request without a token 401, except /version and the health checks", async () => {
    const answer = await apiRequest(server, { path: `${G}/sites` });
    expect(answer.json()).toMatchObject({ kind: "Status", code: 401, reason: "Unauthorized" });
    expect((await apiRequest(server, { path: "/version" })).status).toBe(200);
    expect((await apiRequest(server, { path: "/readyz" })).status).toBe(200);
  });

  it("ends a watch once its token is revoked; the token's next request is 401", async () => {
    const token = await createTestToken({ userId: owner.id, accountId: acme.id });
    const watch = apiWatch(server, { path: `${path(KINDS[0] as Kind)}?watch=1`, token });
    await expect.poll(() => watch.events.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(watch.ended()).toBe(false);
    await revokeApiToken({ actor: { userId: owner.id }, input: { tokenId: parseApiToken(token)?.id } });
    await expect.poll(() => watch.ended(), { timeout: 10_000 }).toBe(true);
    const after = await apiRequest(server, { path: `${G}/sites`, token });
    expect(after.json()).toMatchObject({ code: 401, reason: "Unauthorized" });
    expect((after.json() as { message: string }).message).toMatch(/revoked/);
  });
});
