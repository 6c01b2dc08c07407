import { beforeAll, describe, expect, it } from "vitest";
import { bulkSuspendAccounts } from "@/lib/services/account/bulk-suspend-accounts";
import { bulkUnsuspendAccounts } from "@/lib/services/account/bulk-unsuspend-accounts";
import { listAccountOverview } from "@/lib/services/account/list-account-overview";
import { measureUsage, measureUsageOfAccounts } from "@/lib/services/quota/measure-usage";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  const p = db().prisma;
  t = await createHostingTree(p);
  const plan = await p.plan.create({
    data: { ownerAccountId: t.resA.id, name: "Starter", ...limits({ maxSites: 2, maxDomains: 4 }) },
  });
  await p.account.update({ where: { id: t.acme.id }, data: { planId: plan.id } });
  await createSite({
    actor: { userId: t.acmeOwner.id },
    accountId: t.acme.id,
    input: { name: "blog", domain: "blog.acme.test", app: "PHP" },
  });
  // 60 more customers below reseller A (with owners), and an agency with a client of its own.
  for (let i = 0; i < 60; i += 1) {
    const n = String(i).padStart(2, "0");
    const account = await createTestAccount(p, { slug: `cust-${n}`, name: `Customer ${n}`, parent: t.resA });
    await createTestUser(p, { email: `owner-${n}@shop${n}.test`, roles: [{ account, role: "OWNER" }] });
  }
  const agency = await createTestAccount(p, {
    slug: "studio",
    name: "Studio",
    kind: "AGENCY",
    parent: t.resA,
  });
  await createTestAccount(p, { slug: "studio-client", name: "Zed Client", parent: agency });
});

const admin = () => ({ userId: t.resAAdmin.id, ip: "198.51.100.20" });

describe("listAccountOverview", () => {
  it("pages the accounts below in tree order, 50 a page, each with owner, limits and usage", async () => {
    const first = await listAccountOverview({ actor: admin(), accountId: t.resA.id });
    expect(first).toMatchObject({ total: 63, page: 1, pageSize: 50, pageCount: 2, q: null });
    expect(first.entries).toHaveLength(50);
    const acme = first.entries.find((e) => e.slug === "acme");
    expect(acme).toMatchObject({
      name: "Acme",
      ownerEmail: "owner@acme.test",
      plan: { name: "Starter" },
      siteCount: 1,
      siteLimit: 2,
      limits: { maxSites: 2, maxDomains: 4 },
      usage: { maxSites: 1, maxDomains: 1 },
      depth: 1,
    });
    const second = await listAccountOverview({ actor: admin(), accountId: t.resA.id, input: { page: "2" } });
    expect(second.entries).toHaveLength(13);
    // Tree order: the agency's client right after the agency, one level deeper.
    const slugs = [...first.entries, ...second.entries].map((e) => e.slug);
    expect(slugs.indexOf("studio-client")).toBe(slugs.indexOf("studio") + 1);
    expect(second.entries.find((e) => e.slug === "studio-client")).toMatchObject({
      depth: 2,
      parentName: "Studio",
      ownerEmail: null,
    });
    // A page past the end shows the last one; a page that is no number, the first.
    expect(
      (await listAccountOverview({ actor: admin(), accountId: t.resA.id, input: { page: "9" } })).page,
    ).toBe(2);
    expect(
      (await listAccountOverview({ actor: admin(), accountId: t.resA.id, input: { page: "x" } })).page,
    ).toBe(1);
  });

  it("searches names, short names and owners' emails in the database", async () => {
    const search = async (q: string) =>
      (await listAccountOverview({ actor: admin(), accountId: t.resA.id, input: { q } })).entries.map(
        (e) => e.slug,
      );
    expect(await search("customer 1")).toEqual([
      "cust-10",
      "cust-11",
      "cust-12",
      "cust-13",
      "cust-14",
      "cust-15",
      "cust-16",
      "cust-17",
      "cust-18",
      "cust-19",
    ]);
    expect(await search("CUST-42")).toEqual(["cust-42"]);
    expect(await search("@shop07.test")).toEqual(["cust-07"]);
    expect(await search("zed")).toEqual(["studio-client"]);
    expect(await search("globex")).toEqual([]);
    const page = await listAccountOverview({
      actor: admin(),
      accountId: t.resA.id,
      input: { q: "  cust  " },
    });
    expect([page.q, page.total, page.pageCount]).toEqual(["cust", 60, 2]);
  });

  it("counts usage as measureUsage does", async () => {
    const p = db().prisma;
    const ids = [t.acme.id, t.globex.id];
    const batch = await p.$transaction((tx) => measureUsageOfAccounts(tx, ids));
    for (const id of ids) {
      expect(batch.get(id)).toEqual(await p.$transaction((tx) => measureUsage(tx, id)));
    }
  });

  it("is for the provider's members only", async () => {
    expect(
      (await rejection(listAccountOverview({ actor: { userId: t.resBAdmin.id }, accountId: t.resA.id })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(listAccountOverview({ actor: { userId: t.acmeOwner.id }, accountId: t.resA.id })))
        .code,
    ).toBe("NOT_FOUND");
    const viewer = await listAccountOverview({ actor: { userId: t.resAViewer.id }, accountId: t.resA.id });
    expect(viewer.total).toBe(63);
  });
});

describe("bulkSuspendAccounts and bulkUnsuspendAccounts", () => {
  it("suspends each account as on its own, and reports the one that was already suspended", async () => {
    const p = db().prisma;
    const [one, two, three] = await Promise.all(
      ["cust-01", "cust-02", "cust-03"].map((slug) => p.account.findUniqueOrThrow({ where: { slug } })),
    );
    if (!one || !two || !three) throw new Error("fixture");
    await p.account.update({
      where: { id: three.id },
      data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "Earlier" },
    });

    const outcome = await bulkSuspendAccounts({
      actor: admin(),
      parentId: t.resA.id,
      input: { accountIds: [one.id, two.id, three.id, one.id], reason: " Unpaid invoice " },
    });
    expect(outcome).toMatchObject({ succeeded: 2, failed: 1 });
    expect(outcome.results.map((r) => [r.name, r.ok, r.ok ? r.account.status : r.message])).toEqual([
      ["Customer 01", true, "SUSPENDED"],
      ["Customer 02", true, "SUSPENDED"],
      ["Customer 03", false, "Customer 03 is already suspended."],
    ]);
    // One audit-log row per suspension, as a single suspension writes it; none for the refusal.
    const changes = await p.changeLog.findMany({
      where: { kind: "Account", objectId: { in: [one.id, two.id, three.id] } },
      orderBy: { id: "asc" },
    });
    expect(changes.map((c) => [c.objectId, c.summary, c.actorUserId, c.actorIp])).toEqual([
      [one.id, "Suspended Customer 01: Unpaid invoice", t.resAAdmin.id, "198.51.100.20"],
      [two.id, "Suspended Customer 02: Unpaid invoice", t.resAAdmin.id, "198.51.100.20"],
    ]);
    expect((await p.account.findUniqueOrThrow({ where: { id: three.id } })).suspendedReason).toBe("Earlier");

    const lifted = await bulkUnsuspendAccounts({
      actor: admin(),
      parentId: t.resA.id,
      input: { accountIds: [one.id, three.id, t.acme.id] },
    });
    expect(lifted.results.map((r) => [r.name, r.ok])).toEqual([
      ["Customer 01", true],
      ["Customer 03", true],
      ["Acme", false],
    ]);
    expect(lifted.results[2]).toMatchObject({ code: "CONFLICT", message: "Acme is not suspended." });
  });

  it("suspends an account deeper below (an agency's client)", async () => {
    const client = await db().prisma.account.findUniqueOrThrow({ where: { slug: "studio-client" } });
    const outcome = await bulkSuspendAccounts({
      actor: admin(),
      parentId: t.resA.id,
      input: { accountIds: [client.id], reason: "Abuse report" },
    });
    expect(outcome.succeeded).toBe(1);
  });

  it("refuses, writing nothing, a foreign or unknown account, the parent itself, bad input and weak roles", async () => {
    const p = db().prisma;
    const before = await rowCounts(p);
    const input = (accountIds: string[]) => ({ accountIds, reason: "Unpaid invoice" });
    const mine = (await p.account.findUniqueOrThrow({ where: { slug: "cust-05" } })).id;

    // Reseller A names Globex (reseller B's) beside its own: nothing at all happens.
    for (const ids of [[mine, t.globex.id], [mine, "cmadeupaccount000000000000"], [t.resA.id]]) {
      const err = await rejection(
        bulkSuspendAccounts({ actor: admin(), parentId: t.resA.id, input: input(ids) }),
      );
      expect([err.code, err.message]).toEqual([
        "NOT_FOUND",
        "Account not found: select accounts from the list.",
      ]);
    }
    // Reseller B cannot act below reseller A; the customer cannot act on its own provider's list.
    for (const userId of [t.resBAdmin.id, t.acmeOwner.id, t.stranger.id]) {
      const err = await rejection(
        bulkSuspendAccounts({ actor: { userId }, parentId: t.resA.id, input: input([mine]) }),
      );
      expect(err.code).toBe("NOT_FOUND");
    }
    // A customer's owner naming its own account below itself: no account is below a customer.
    const self = await rejection(
      bulkUnsuspendAccounts({
        actor: { userId: t.acmeOwner.id },
        parentId: t.acme.id,
        input: { accountIds: [t.acme.id] },
      }),
    );
    expect(self.code).toBe("NOT_FOUND");
    const viewer = await rejection(
      bulkSuspendAccounts({ actor: { userId: t.resAViewer.id }, parentId: t.resA.id, input: input([mine]) }),
    );
    expect([viewer.code, viewer.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to suspend accounts.",
    ]);
    const noReason = await rejection(
      bulkSuspendAccounts({
        actor: admin(),
        parentId: t.resA.id,
        input: { accountIds: [mine], reason: " " },
      }),
    );
    expect(noReason.fieldErrors).toEqual({ reason: "Enter the reason for the suspension." });
    const none = await rejection(
      bulkSuspendAccounts({ actor: admin(), parentId: t.resA.id, input: input([]) }),
    );
    expect(none.fieldErrors).toEqual({ accountIds: "Select at least one account." });
    expect(await rowCounts(p)).toEqual(before);
  });
});
