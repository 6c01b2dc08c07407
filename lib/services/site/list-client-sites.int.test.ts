import { beforeAll, describe, expect, it } from "vitest";
import { createSite } from "@/lib/services/site/create-site";
import { listClientSites } from "@/lib/services/site/list-client-sites";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;
let agencyAdmin: { id: string };
let agency: { id: string };

beforeAll(async () => {
  const p = db().prisma;
  t = await createHostingTree(p);
  // An agency below reseller A with two clients; acme (reseller A's own customer) also has sites.
  const agencyAccount = await createTestAccount(p, {
    slug: "pixel",
    kind: "AGENCY",
    name: "Pixel",
    parent: t.resA,
  });
  agency = agencyAccount;
  const north = await createTestAccount(p, { slug: "north", name: "Northwind", parent: agencyAccount });
  const way = await createTestAccount(p, { slug: "way", name: "Wayfarer", parent: agencyAccount });
  agencyAdmin = await createTestUser(p, {
    email: "admin@pixel.test",
    roles: [{ account: agencyAccount, role: "ADMIN" }],
  });
  // Below Reseller A's allotment, sites need a plan.
  const plan = await p.plan.create({ data: { ownerAccountId: t.resA.id, name: "Clients", ...limits() } });
  await p.account.updateMany({
    where: { id: { in: [north.id, way.id, t.acme.id] } },
    data: { planId: plan.id },
  });
  const make = (accountId: string, name: string) =>
    createSite({
      actor: { userId: t.platformOwner.id },
      accountId,
      input: { name, domain: `${name}.example.test` },
    });
  await make(north.id, "north-blog");
  await make(north.id, "north-shop");
  await make(way.id, "way-menu");
  await make(t.acme.id, "acme-home");
  await make(t.globex.id, "globex-home");
  await p.site.updateMany({ where: { name: "north-shop" }, data: { phase: "RUNNING" } });
});

describe("listClientSites", () => {
  it("lists every client's sites in one page for the agency, and nothing else", async () => {
    const page = await listClientSites({ actor: { userId: agencyAdmin.id }, accountId: agency.id });
    expect(page.total).toBe(3);
    expect(page.sites.map((s) => [s.accountName, s.name])).toEqual([
      ["Northwind", "north-blog"],
      ["Northwind", "north-shop"],
      ["Wayfarer", "way-menu"],
    ]);
  });

  it("lists a reseller's customers and the agency's clients below it, not another reseller's", async () => {
    const page = await listClientSites({ actor: { userId: t.resAAdmin.id }, accountId: t.resA.id });
    expect(page.sites.map((s) => s.name).sort()).toEqual([
      "acme-home",
      "north-blog",
      "north-shop",
      "way-menu",
    ]);
  });

  it("filters by status, searches names, domains and clients, sorts and pages", async () => {
    const actor = { userId: t.resAAdmin.id };
    const running = await listClientSites({ actor, accountId: t.resA.id, input: { status: "RUNNING" } });
    expect(running.sites.map((s) => s.name)).toEqual(["north-shop"]);
    const byClient = await listClientSites({ actor, accountId: t.resA.id, input: { q: "wayfar" } });
    expect(byClient.sites.map((s) => s.name)).toEqual(["way-menu"]);
    const byDomain = await listClientSites({
      actor,
      accountId: t.resA.id,
      input: { q: "acme-home.example" },
    });
    expect(byDomain.sites.map((s) => s.name)).toEqual(["acme-home"]);
    const sorted = await listClientSites({
      actor,
      accountId: t.resA.id,
      input: { sort: "name", dir: "desc" },
    });
    expect(sorted.sites.map((s) => s.name)).toEqual(["way-menu", "north-shop", "north-blog", "acme-home"]);
    const second = await listClientSites({
      actor,
      accountId: t.resA.id,
      input: { pageSize: "3", page: "2" },
    });
    expect(second).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(second.sites.map((s) => s.name)).toEqual(["way-menu"]);
  });

  it("answers NOT_FOUND for an account the caller does not reach and falls back to the defaults for a bad sort", async () => {
    expect(
      (await rejection(listClientSites({ actor: { userId: t.resBAdmin.id }, accountId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
    const page = await listClientSites({
      actor: { userId: t.resAAdmin.id },
      accountId: t.resA.id,
      input: { sort: "x", dir: "sideways", status: "NOPE", page: "zero" },
    });
    const defaults = await listClientSites({ actor: { userId: t.resAAdmin.id }, accountId: t.resA.id });
    expect(page).toEqual(defaults);
  });

  it("shows a customer's own member nothing below (a customer has no clients)", async () => {
    const page = await listClientSites({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(page.total).toBe(0);
  });
});
