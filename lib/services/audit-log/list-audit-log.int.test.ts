import { beforeAll, describe, expect, it } from "vitest";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import { auditLogPage, listAuditLog } from "@/lib/services/audit-log/list-audit-log";
import { createPlan } from "@/lib/services/plan/create-plan";
import { createSite } from "@/lib/services/site/create-site";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
  const starter = await createPlan({
    actor: { userId: t.resAAdmin.id, ip: "198.51.100.1" },
    ownerAccountId: t.resA.id,
    input: { name: "Starter", ...limits() },
  });
  // Below Reseller A's allotment, sites need a plan (set directly: no change of its own here).
  await db().prisma.account.update({ where: { id: t.acme.id }, data: { planId: starter.id } });
  await createSite({
    actor: { userId: t.acmeOwner.id, ip: "198.51.100.2" },
    accountId: t.acme.id,
    input: { name: "blog", domain: "blog.acme.test" },
  });
  await suspendAccount({
    actor: { userId: t.resAAdmin.id, ip: "198.51.100.1" },
    accountId: t.acme.id,
    input: { reason: "Unpaid invoice" },
  });
  await createSite({
    actor: { userId: t.resBAdmin.id },
    accountId: t.globex.id,
    input: { name: "shop", domain: "shop.globex.test" },
  });
  // A status report of the reconciler is no one's action.
  await db().prisma.changeLog.create({
    data: { kind: "Site", objectId: "x", accountId: t.acme.id, action: "STATUS" },
  });
});

describe("listAuditLog", () => {
  it("shows an admin who did what, where and when, in their account and below, newest first", async () => {
    const entries = await listAuditLog({ actor: { userId: t.resAAdmin.id }, accountId: t.resA.id });
    expect(
      entries.map((e) => [e.kind, e.action, e.accountSlug, e.actor?.email ?? null, e.actorIp, e.summary]),
    ).toEqual([
      ["Account", "UPDATED", "acme", "admin@res-a.test", "198.51.100.1", "Suspended Acme: Unpaid invoice"],
      ["Site", "CREATED", "acme", "owner@acme.test", "198.51.100.2", "Created site blog"],
      ["Plan", "CREATED", "res-a", "admin@res-a.test", "198.51.100.1", "Created plan Starter"],
    ]);
    expect(entries[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The customer's owner sees its own account's entries only; the platform's owner sees all.
    const acme = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(acme.map((e) => e.kind)).toEqual(["Account", "Site"]);
    const all = await listAuditLog({ actor: { userId: t.platformOwner.id }, accountId: t.platform.id });
    expect(all).toHaveLength(4);
  });

  it("shows a customer its provider's staff as '<Provider> staff', without their email, id or IP", async () => {
    const acme = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(acme.map((e) => [e.summary, e.actor, e.actorIp])).toEqual([
      ["Suspended Acme: Unpaid invoice", { id: null, email: null, name: "Reseller A staff" }, null],
      [
        "Created site blog",
        { id: t.acmeOwner.id, email: "owner@acme.test", name: t.acmeOwner.name },
        "198.51.100.2",
      ],
    ]);
    expect(JSON.stringify(acme)).not.toContain("res-a.test");
    expect(JSON.stringify(acme)).not.toContain("198.51.100.1");

    // The reseller, above the customer, and the platform, above both, see everyone.
    const all = await listAuditLog({ actor: { userId: t.platformOwner.id }, accountId: t.platform.id });
    expect(all.find((e) => e.summary.startsWith("Suspended Acme"))).toMatchObject({
      actor: { email: "admin@res-a.test" },
      actorIp: "198.51.100.1",
    });
  });

  it("reads the same page through either plan (walking the log, or through the subtree's accounts)", async () => {
    const p = db().prisma;
    const newest = await p.changeLog.findFirstOrThrow({ orderBy: { id: "desc" } });
    for (const account of [t.platform, t.resA, t.acme, t.globex]) {
      for (const before of [null, newest.id, newest.id - 1n]) {
        for (const limit of [1, 2, 50]) {
          const options = { path: account.path, before, limit };
          const walk = await auditLogPage({ ...options, plan: "walk" });
          const subtree = await auditLogPage({ ...options, plan: "subtree" });
          expect(walk, `${account.slug} before ${before} limit ${limit}`).toEqual(subtree);
          expect(await auditLogPage(options)).toEqual(walk);
        }
      }
    }
    // Below acme: only acme's rows, never the status report, never another tree's.
    const acmeRows = await p.changeLog.findMany({
      where: { id: { in: await auditLogPage({ path: t.acme.path, before: null, limit: 50, plan: "walk" }) } },
    });
    expect(acmeRows.map((r) => r.accountId)).toEqual(acmeRows.map(() => t.acme.id));
    expect(acmeRows.map((r) => r.action)).not.toContain("STATUS");
    expect(acmeRows).toHaveLength(2);
  });

  it("pages with a cursor", async () => {
    const actor = { userId: t.resAAdmin.id };
    const first = await listAuditLog({ actor, accountId: t.resA.id, input: { limit: 2 } });
    expect(first).toHaveLength(2);
    const rest = await listAuditLog({
      actor,
      accountId: t.resA.id,
      input: { before: first[1]?.resourceVersion, limit: 2 },
    });
    expect(rest.map((e) => e.kind)).toEqual(["Plan"]);
    expect(
      (await rejection(listAuditLog({ actor, accountId: t.resA.id, input: { before: "x" } }))).code,
    ).toBe("INVALID_INPUT");
  });

  it("is for owners and admins of reachable accounts only", async () => {
    const viewer = await rejection(
      listAuditLog({ actor: { userId: t.resAViewer.id }, accountId: t.resA.id }),
    );
    expect([viewer.code, viewer.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to view the audit log.",
    ]);
    expect(
      (await rejection(listAuditLog({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(listAuditLog({ actor: { userId: t.stranger.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(listAuditLog({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
  });
});
