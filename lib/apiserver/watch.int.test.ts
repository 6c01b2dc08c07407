/**
 * Watches on the hosting.sitepod.io API server: resume from a list's resourceVersion, bookmarks,
 * 410 Expired, objects entering and leaving a label selector, sendInitialEvents, timeouts,
 * change-log rows committing out of id order, and who sees what as the account tree and the
 * memberships change while a watch is open.
 */
import mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSelection } from "@/lib/apiserver/objects";
import { siteResource } from "@/lib/apiserver/resources/site";
import type { Delivery } from "@/lib/apiserver/watch/watch-cache";
import { parseDatabaseUrl } from "@/lib/db/migrate";
import type { Account, User } from "@/lib/generated/prisma/client";
import { appendChange } from "@/lib/services/change-log/append-change";
import { removeMember } from "@/lib/services/membership/remove-member";
import {
  apiRequest,
  apiWatch,
  createTestToken,
  startTestApiServer,
  type TestApiServer,
  type WatchEventLine,
} from "@/tests/helpers/apiserver";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";

const db = withTestDatabase();

const G = "/apis/hosting.sitepod.io/v1alpha1";
const HISTORY = 8;
let server: TestApiServer;
let acme: Account;
let globex: Account;
let reseller: Account;
let owner: User;
/** A viewer of acme and of globex (no token: a signed-in person's watches). */
let helper: User;
const open: { close(): void }[] = [];
/** Real API tokens, each its user's on their own account. */
const tokens = { owner: "", globex: "", reseller: "" };

beforeAll(async () => {
  const p = db().prisma;
  const platform = await createTestAccount(p, { slug: "platform", kind: "PLATFORM" });
  acme = await createTestAccount(p, { slug: "acme", parent: platform });
  globex = await createTestAccount(p, { slug: "globex", parent: platform });
  reseller = await createTestAccount(p, { slug: "reseller", kind: "RESELLER", parent: platform });
  owner = await createTestUser(p, { email: "owner@acme.test", roles: [{ account: acme, role: "OWNER" }] });
  const globexOwner = await createTestUser(p, {
    email: "o@globex.test",
    roles: [{ account: globex, role: "OWNER" }],
  });
  const resellerOwner = await createTestUser(p, {
    email: "o@reseller.test",
    roles: [{ account: reseller, role: "OWNER" }],
  });
  helper = await createTestUser(p, {
    email: "helper@example.test",
    roles: [
      { account: acme, role: "VIEWER" },
      { account: globex, role: "VIEWER" },
    ],
  });
  tokens.owner = await createTestToken({ userId: owner.id, accountId: acme.id });
  tokens.globex = await createTestToken({ userId: globexOwner.id, accountId: globex.id });
  tokens.reseller = await createTestToken({ userId: resellerOwner.id, accountId: reseller.id });
  server = await startTestApiServer({
    cache: { bookmarkMs: 300, historySize: HISTORY, gapHoldMs: 5_000 },
  });
});

afterAll(async () => {
  for (const w of open) w.close();
  await server?.close();
});

function watch(path: string, who: keyof typeof tokens = "owner") {
  const w = apiWatch(server, { path, token: tokens[who] });
  open.push(w);
  return w;
}

async function apiAs(
  who: keyof typeof tokens,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
) {
  return apiRequest(server, {
    method,
    path,
    token: tokens[who],
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { "content-type": contentType },
  });
}

function api(method: string, path: string, body?: unknown, contentType = "application/json") {
  return apiAs("owner", method, path, body, contentType);
}

async function createSite(
  name: string,
  labels: Record<string, string> = {},
  namespace = "acme",
  who: keyof typeof tokens = "owner",
) {
  const res = await apiAs(who, "POST", `${G}/namespaces/${namespace}/sites`, {
    apiVersion: "hosting.sitepod.io/v1alpha1",
    kind: "Site",
    metadata: { name, labels },
    spec: { app: "PHP", primaryDomain: `${name}.${namespace}.test` },
  });
  expect(res.status).toBe(201);
  return res.json() as { metadata: { resourceVersion: string } };
}

function label(
  name: string,
  labels: Record<string, string | null>,
  namespace = "acme",
  who: keyof typeof tokens = "owner",
) {
  return apiAs(
    who,
    "PATCH",
    `${G}/namespaces/${namespace}/sites/${name}`,
    { metadata: { labels } },
    "application/merge-patch+json",
  );
}

/** A customer account below the reseller, made through the API as its owner (createAccount). */
async function createCustomer(name: string): Promise<string> {
  const res = await apiAs("reseller", "POST", `${G}/accounts`, {
    apiVersion: "hosting.sitepod.io/v1alpha1",
    kind: "Account",
    metadata: { name },
    spec: { displayName: name, kind: "CUSTOMER", parent: "reseller" },
  });
  expect(res.status).toBe(201);
  return (res.json() as { metadata: { uid: string } }).metadata.uid;
}

async function listVersion(path = `${G}/namespaces/acme/sites`): Promise<string> {
  return ((await api("GET", path)).json() as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
}

function seen(events: WatchEventLine[]): string[] {
  return events.filter((e) => e.type !== "BOOKMARK").map((e) => `${e.type} ${e.object.metadata?.name}`);
}

async function until(what: string, events: WatchEventLine[], predicate: (e: WatchEventLine[]) => boolean) {
  await eventually(what, () => (predicate(events) ? true : undefined), 15_000);
}

describe("watch", () => {
  it("continues from a list's resourceVersion with ADDED, MODIFIED and DELETED in order", async () => {
    await createSite("before");
    const rv = await listVersion();
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${rv}`);
    await createSite("alpha");
    await label("alpha", { color: "blue" });
    const del = await api("DELETE", `${G}/namespaces/acme/sites/alpha`);
    expect(del.status).toBe(200);
    // The deletion is in progress: the site carries a deletionTimestamp until the reconciler is done.
    await until("the deletion's event", w.events, (e) =>
      e.some((x) => x.object.metadata?.deletionTimestamp !== undefined),
    );
    // Changes the cache reads in one poll reach a watcher as one event with the newest state (as
    // level-based clients expect): ADDED first, then MODIFIED, ending with the deletion.
    const names = seen(w.events);
    expect(names[0]).toBe("ADDED alpha");
    expect(names.slice(1).every((n) => n === "MODIFIED alpha")).toBe(true);
    expect(names.length).toBeGreaterThanOrEqual(2);
    const versions = w.events.map((e) => BigInt(e.object.metadata?.resourceVersion ?? "0"));
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((a, b) => (a < b ? -1 : 1))).toEqual(versions);
    expect(versions[0]).toBeGreaterThan(BigInt(rv));
    expect(w.events.at(-1)?.object.metadata).toMatchObject({
      labels: { color: "blue" },
      deletionTimestamp: expect.any(String),
    });
  });

  it("sends objects entering a label selector as ADDED and leaving it as DELETED", async () => {
    await createSite("beta");
    const rv = await listVersion();
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${rv}&labelSelector=team%3Dweb`);
    await label("beta", { team: "web" });
    // Seen before the next change (two changes read in one poll would be one event, never matching).
    await until("the first event", w.events, (e) => seen(e).length >= 1);
    await label("beta", { team: "ops" });
    await until("two events", w.events, (e) => seen(e).length >= 2);
    expect(seen(w.events)).toEqual(["ADDED beta", "DELETED beta"]);
    expect(w.events[1]?.object.metadata).toMatchObject({ labels: { team: "web" } });
  });

  it("sends bookmarks when asked for", async () => {
    const rv = await listVersion();
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
    await until("a bookmark", w.events, (e) => e.some((x) => x.type === "BOOKMARK"));
    const bookmark = w.events.find((e) => e.type === "BOOKMARK");
    expect(bookmark?.object).toMatchObject({ kind: "Site", apiVersion: "hosting.sitepod.io/v1alpha1" });
    expect(BigInt(bookmark?.object.metadata?.resourceVersion ?? "0")).toBeGreaterThanOrEqual(BigInt(rv));
  });

  it("answers a resourceVersion older than the event window with an ERROR event: 410 Expired", async () => {
    const old = await listVersion();
    // Each change seen by a watcher before the next is made, so that each is its own event in the
    // window (changes read in one poll would make one).
    const each = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${old}`);
    for (let i = 0; i < HISTORY + 2; i += 1) {
      await label("before", { n: String(i) });
      await until(`change ${i}`, each.events, (e) =>
        e.some((x) => x.object.metadata?.labels?.n === String(i)),
      );
    }
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${old}`);
    await until("the error", w.events, (e) => e.length > 0);
    expect(w.status()).toBe(200);
    expect(w.events[0]).toMatchObject({
      type: "ERROR",
      object: {
        kind: "Status",
        code: 410,
        reason: "Expired",
        message: expect.stringContaining("too old resource version"),
      },
    });
    await eventually("the stream's end", () => (w.ended() ? true : undefined), 5_000);
  });

  it("sends initial events then the bookmark that ends them, as the WatchList protocol has it", async () => {
    const w = watch(
      `${G}/namespaces/acme/sites?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
    );
    await until("the end bookmark", w.events, (e) =>
      e.some(
        (x) =>
          x.type === "BOOKMARK" && x.object.metadata?.annotations?.["k8s.io/initial-events-end"] === "true",
      ),
    );
    const names = w.events.filter((e) => e.type === "ADDED").map((e) => e.object.metadata?.name);
    expect(names.sort()).toEqual(["alpha", "before", "beta"]);
  });

  it("refuses watch options the API server refuses", async () => {
    const noMatch = await api("GET", `${G}/namespaces/acme/sites?watch=1&sendInitialEvents=true`);
    expect(noMatch.status).toBe(422);
    expect(noMatch.json()).toMatchObject({
      reason: "Invalid",
      details: { kind: "ListOptions", causes: [expect.objectContaining({ field: "resourceVersionMatch" })] },
    });
    const onList = await api("GET", `${G}/namespaces/acme/sites?sendInitialEvents=true`);
    expect(onList.json()).toMatchObject({
      code: 422,
      message: expect.stringContaining("sendInitialEvents is forbidden for list"),
    });
    const absurd = await api("GET", `${G}/namespaces/acme/sites?watch=1&timeoutSeconds=100000000`);
    expect(absurd.status).toBe(400);
    expect(absurd.json()).toMatchObject({
      reason: "BadRequest",
      message: expect.stringContaining("at most 1800 seconds"),
    });
    const badVersion = await api("GET", `${G}/namespaces/acme/sites?watch=1&resourceVersion=abc`);
    expect(badVersion.status).toBe(400);
  });

  it("caps a long timeout with a warning and ends a watch at its timeout", async () => {
    const capped = watch(`${G}/namespaces/acme/sites?watch=1&timeoutSeconds=3600`);
    await eventually("headers", () => (capped.status() ? true : undefined), 5_000);
    expect(String(capped.headers().warning)).toContain("timeoutSeconds 3600 capped to 1800");
    const short = watch(`${G}/namespaces/acme/sites?watch=1&timeoutSeconds=1`);
    await eventually("the end of a 1-second watch", () => (short.ended() ? true : undefined), 5_000);
  });

  it("forgets a watcher whose client went away", async () => {
    const before = server.cache.watcherCount();
    const w = watch(`${G}/namespaces/acme/sites?watch=1`);
    await eventually(
      "the watcher",
      () => (server.cache.watcherCount() === before + 1 ? true : undefined),
      5_000,
    );
    w.close();
    await eventually(
      "the watcher gone",
      () => (server.cache.watcherCount() === before ? true : undefined),
      5_000,
    );
  });

  it("waits for a resourceVersion from the future, then says it is too large", async () => {
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=999999999`);
    await until("the error", w.events, (e) => e.length > 0);
    expect(w.events[0]).toMatchObject({ type: "ERROR", object: { code: 504, reason: "Timeout" } });
  });

  it("shows a watcher only the accounts it reaches", async () => {
    const rv = await listVersion(`${G}/sites`);
    const foreign = watch(`${G}/sites?watch=1&resourceVersion=${rv}`, "globex");
    const mine = watch(`${G}/sites?watch=1&resourceVersion=${rv}`);
    await createSite("gamma");
    await until("the owner's event", mine.events, (e) => seen(e).includes("ADDED gamma"));
    await label("gamma", { x: "1" });
    await until("the owner's second event", mine.events, (e) => seen(e).includes("MODIFIED gamma"));
    expect(seen(foreign.events)).toEqual([]);
  });

  it("finds on resync a change the feed never saw (no change-log row) and sends it", async () => {
    const rv = await listVersion();
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${rv}`);
    await db().prisma.site.updateMany({
      where: { accountId: acme.id, name: "before" },
      data: { phpVersion: "8.2" },
    });
    await server.cache.resync();
    await until("the resync's event", w.events, (e) => seen(e).length > 0);
    expect(seen(w.events)).toEqual(["MODIFIED before"]);
    expect(w.events[0]?.object).toMatchObject({ spec: { phpVersion: "8.2" } });
  });

  it("delivers change-log rows that commit out of id order in id order", async () => {
    const rv = await listVersion();
    const w = watch(`${G}/namespaces/acme/sites?watch=1&resourceVersion=${rv}`);
    const site = await db().prisma.site.findFirstOrThrow({ where: { accountId: acme.id, name: "beta" } });
    // A transaction takes the next change-log id and holds it uncommitted...
    const conn = await mariadb.createConnection(parseDatabaseUrl(db().url));
    try {
      await conn.beginTransaction();
      await conn.query(
        "INSERT INTO ChangeLog (kind, objectId, accountId, action, createdAt) VALUES ('Site', ?, ?, 'UPDATED', NOW(3))",
        [site.id, acme.id],
      );
      const [row] = (await conn.query("SELECT LAST_INSERT_ID() AS id")) as { id: bigint }[];
      const held = row?.id;
      // ...while a later one commits.
      await createSite("delta");
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(seen(w.events)).toEqual([]);
      await conn.commit();
      await until("both events", w.events, (e) => seen(e).length >= 2);
      expect(seen(w.events)).toEqual(["MODIFIED beta", "ADDED delta"]);
      expect(w.events[0]?.object.metadata?.resourceVersion).toBe(String(held));
    } finally {
      await conn.end();
    }
  });
  it("delivers the objects of an account created below a watcher's root after the watch started", async () => {
    const rv = await listVersion(`${G}/sites`);
    const sites = watch(`${G}/sites?watch=1&resourceVersion=${rv}`, "reseller");
    const accounts = watch(`${G}/accounts?watch=1&resourceVersion=${rv}`, "reseller");
    const foreign = watch(`${G}/sites?watch=1&resourceVersion=${rv}`, "globex");
    const foreignAccounts = watch(`${G}/accounts?watch=1&resourceVersion=${rv}`, "globex");
    await createCustomer("newshop");
    await until("the new account", accounts.events, (e) => seen(e).includes("ADDED newshop"));
    await createSite("shopsite", {}, "newshop", "reseller");
    await until("its site", sites.events, (e) => seen(e).includes("ADDED shopsite"));
    await label("shopsite", { x: "1" }, "newshop", "reseller");
    await until("its change", sites.events, (e) => seen(e).includes("MODIFIED shopsite"));
    // A namespaced watch of the new account, opened now, starts from the same cache.
    const namespaced = watch(
      `${G}/namespaces/newshop/sites?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`,
      "reseller",
    );
    await until("its initial events", namespaced.events, (e) => e.some((x) => x.type === "BOOKMARK"));
    expect(seen(namespaced.events)).toEqual(["ADDED shopsite"]);
    expect(seen(foreign.events)).toEqual([]);
    expect(seen(foreignAccounts.events)).toEqual([]);
  });

  it("sends the provider the deletion of an account terminated below it, and others nothing", async () => {
    const id = await createCustomer("shortlived");
    const rv = await listVersion(`${G}/sites`);
    const accounts = watch(`${G}/accounts?watch=1&resourceVersion=${rv}`, "reseller");
    const foreign = watch(`${G}/accounts?watch=1&resourceVersion=${rv}`, "globex");
    // As the account reconciler ends a termination: the rows go, a DELETED row under the parent.
    await db().prisma.$transaction(async (tx) => {
      await tx.account.delete({ where: { id } });
      await appendChange(tx, { kind: "Account", objectId: id, accountId: reseller.id, action: "DELETED" });
    });
    await until("the deletion", accounts.events, (e) => seen(e).includes("DELETED shortlived"));
    expect(seen(foreign.events)).toEqual([]);
  });

  it("starts a watch that waited for its resourceVersion with the memberships as of then, not as of the request", async () => {
    const p = db().prisma;
    const leaving = await createTestUser(p, {
      email: "leaving@acme.test",
      roles: [{ account: acme, role: "DEVELOPER" }],
    });
    const token = await createTestToken({ userId: leaving.id, accountId: acme.id });
    const next = BigInt(await listVersion()) + 1n;
    const path = `${G}/namespaces/acme/sites?watch=1&resourceVersion=${next}`;
    // The owner's watch sees everything in acme: when it has the new site, so would the other.
    const witness = watch(path);
    const raced = apiWatch(server, { path, token });
    open.push(raced);
    // Its headers are sent once the request is authorized: it now waits for the next change.
    await eventually("the watch answered", () => (raced.status() === 200 ? true : undefined), 15_000);
    // That change takes the user out of acme (their token with it, a minute later at the latest).
    await removeMember({
      actor: { userId: owner.id, ip: null },
      accountId: acme.id,
      input: { userId: leaving.id },
    });
    await createSite("raced");
    await until("the owner's event", witness.events, (e) => seen(e).includes("ADDED raced"));
    expect(seen(raced.events)).toEqual([]);
  });

  it("stops sending a watcher an account's events once its user's membership there is removed", async () => {
    await createSite("kept", {}, "globex", "globex");
    const got: Delivery[] = [];
    const actor = { userId: helper.id, ip: null };
    const unregister = server.cache.add({
      resource: siteResource,
      actor,
      accountId: null,
      selection: parseSelection(siteResource, "", ""),
      bookmarks: false,
      roots: await server.cache.watcherRoots(actor),
      deliver: (d) => got.push(d),
    });
    try {
      const names = () =>
        got.map((d) => `${d.type} ${d.object.metadata.namespace}/${d.object.metadata.name}`);
      // In this order: the acme change comes first in the feed, so it would have come first here.
      const changeBoth = async (value: string) => {
        await label("before", { helper: value });
        await label("kept", { helper: value }, "globex", "globex");
        await eventually(
          "globex's event",
          () => (names().includes("MODIFIED globex/kept") ? true : undefined),
          15_000,
        );
      };
      await changeBoth("1");
      expect(names()).toContain("MODIFIED acme/before");
      await removeMember({
        actor: { userId: owner.id, ip: null },
        accountId: acme.id,
        input: { userId: helper.id },
      });
      got.length = 0;
      await changeBoth("2");
      expect(names()).toEqual(["MODIFIED globex/kept"]);
    } finally {
      unregister();
    }
  });
});
