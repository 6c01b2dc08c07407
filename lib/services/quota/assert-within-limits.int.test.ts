import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

describe("createSite with assertWithinLimits", () => {
  it("limits nothing for an account without a plan", async () => {
    const actor = { userId: t.resBAdmin.id };
    for (const name of ["a", "b", "c", "d"]) {
      await createSite({ actor, accountId: t.globex.id, input: { name, domain: `${name}.globex.test` } });
    }
    expect(await db().prisma.site.count({ where: { accountId: t.globex.id } })).toBe(4);
  });

  it("lets exactly one of two concurrent creations take the last site", async () => {
    const p = db().prisma;
    const plan = await p.plan.create({
      data: { ownerAccountId: t.resA.id, name: "One", ...limits({ maxSites: 1 }) },
    });
    await p.account.update({ where: { id: t.acme.id }, data: { planId: plan.id } });
    const actor = { userId: t.acmeOwner.id };
    const results = await Promise.allSettled(
      ["x", "y"].map((name) =>
        createSite({ actor, accountId: t.acme.id, input: { name, domain: `${name}.acme.test` } }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason instanceof AppError && refused.reason.code).toBe(
      "LIMIT_EXCEEDED",
    );
    expect(await p.site.count({ where: { accountId: t.acme.id } })).toBe(1);
  });

  it("counts domains, frees a slot when a site's deletion is requested, and refuses terminating accounts", async () => {
    const p = db().prisma;
    const plan = await p.plan.create({
      data: {
        ownerAccountId: t.resA.id,
        name: "Two sites one domain",
        ...limits({ maxSites: 2, maxDomains: 1 }),
      },
    });
    await p.account.update({ where: { id: t.acme.id }, data: { planId: plan.id } });
    const actor = { userId: t.acmeOwner.id };
    const before = await rowCounts(p);
    const domains = await rejection(
      createSite({ actor, accountId: t.acme.id, input: { name: "z", domain: "z.acme.test" } }),
    );
    expect([domains.code, domains.message]).toEqual([
      "LIMIT_EXCEEDED",
      "Your plan allows 1 domain; you have 1. Upgrade the plan or remove a domain.",
    ]);
    expect(await rowCounts(p)).toEqual(before);

    await p.site.updateMany({ where: { accountId: t.acme.id }, data: { deletionRequestedAt: new Date() } });
    await createSite({ actor, accountId: t.acme.id, input: { name: "z", domain: "z.acme.test" } });

    await p.account.update({ where: { id: t.acme.id }, data: { terminationRequestedAt: new Date() } });
    const terminating = await rejection(
      createSite({ actor, accountId: t.acme.id, input: { name: "w", domain: "w.acme.test" } }),
    );
    expect([terminating.code, terminating.message]).toEqual([
      "CONFLICT",
      "This account is being terminated; nothing can be added to it.",
    ]);
  });

  it("counts a WordPress site's own database against maxDatabases, at its field, writing nothing", async () => {
    const p = db().prisma;
    const plan = await p.plan.create({
      data: { ownerAccountId: t.resA.id, name: "Two databases", ...limits({ maxSites: 5, maxDatabases: 2 }) },
    });
    const initech = await createTestAccount(p, { slug: "initech", parent: t.resA });
    await p.account.update({ where: { id: initech.id }, data: { planId: plan.id } });
    const owner = await createTestUser(p, {
      email: "owner@initech.test",
      roles: [{ account: initech, role: "OWNER" }],
    });
    const actor = { userId: owner.id };
    for (const name of ["one", "two"]) {
      await createSite({ actor, accountId: initech.id, input: { name, domain: `${name}.initech.test` } });
    }
    const before = await rowCounts(p);
    const domains = await p.domain.count();
    const refused = await rejection(
      createSite({ actor, accountId: initech.id, input: { name: "three", domain: "three.initech.test" } }),
    );
    const message =
      "Your plan allows 2 databases; you have 2, and a WordPress site needs one of its own. Upgrade the plan, delete a database or create a Plain PHP site.";
    expect([refused.code, refused.message, refused.fieldErrors]).toEqual([
      "LIMIT_EXCEEDED",
      message,
      { app: message },
    ]);
    expect(await rowCounts(p)).toEqual(before);
    expect(await p.domain.count()).toBe(domains);

    // A plain PHP site has no database of its own: it fits.
    await createSite({
      actor,
      accountId: initech.id,
      input: { name: "three", domain: "three.initech.test", app: "PHP" },
    });
    expect(await p.site.count({ where: { accountId: initech.id } })).toBe(3);
  });
});
