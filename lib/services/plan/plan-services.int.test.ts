import { beforeAll, describe, expect, it } from "vitest";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { listPlans } from "@/lib/services/plan/list-plans";
import { updatePlan } from "@/lib/services/plan/update-plan";
import { createSite } from "@/lib/services/site/create-site";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

describe("createPlan", () => {
  it("adds a plan to a reseller's catalogue with a CREATED change and summary", async () => {
    const plan = await createPlan({
      actor: { userId: t.resAAdmin.id, ip: "198.51.100.4" },
      ownerAccountId: t.resA.id,
      input: { name: " Starter ", ...limits(), maxSites: "2" },
    });
    expect(plan).toMatchObject({ ownerAccountId: t.resA.id, name: "Starter", maxSites: 2, accountCount: 0 });
    const change = await db().prisma.changeLog.findFirstOrThrow({ where: { objectId: plan.id } });
    expect(change).toMatchObject({
      kind: "Plan",
      action: "CREATED",
      accountId: t.resA.id,
      actorUserId: t.resAAdmin.id,
      actorIp: "198.51.100.4",
      summary: "Created plan Starter",
    });
  });

  it("refuses a duplicate name, a customer owner, bad input, strangers and viewers, writing nothing", async () => {
    const p = db().prisma;
    const before = await rowCounts(p);
    const actor = { userId: t.resAAdmin.id };
    const dup = await rejection(
      createPlan({ actor, ownerAccountId: t.resA.id, input: { name: "Starter", ...limits() } }),
    );
    expect([dup.code, dup.message]).toEqual(["CONFLICT", 'A plan named "Starter" already exists.']);

    const customer = await rejection(
      createPlan({ actor, ownerAccountId: t.acme.id, input: { name: "X", ...limits() } }),
    );
    expect([customer.code, customer.message]).toEqual([
      "INVALID_INPUT",
      "Only the platform, resellers and agencies make plans.",
    ]);

    const invalid = await rejection(createPlan({ actor, ownerAccountId: t.resA.id, input: { name: "" } }));
    expect(invalid.code).toBe("INVALID_INPUT");
    expect(invalid.fieldErrors?.maxSites).toBe("Enter the number of sites.");

    const stranger = await rejection(
      createPlan({
        actor: { userId: t.stranger.id },
        ownerAccountId: t.resA.id,
        input: { name: "Y", ...limits() },
      }),
    );
    expect(stranger.code).toBe("NOT_FOUND");
    const otherReseller = await rejection(
      createPlan({
        actor: { userId: t.resBAdmin.id },
        ownerAccountId: t.resA.id,
        input: { name: "Y", ...limits() },
      }),
    );
    expect(otherReseller.code).toBe("NOT_FOUND");
    const viewer = await rejection(
      createPlan({
        actor: { userId: t.resAViewer.id },
        ownerAccountId: t.resA.id,
        input: { name: "Y", ...limits() },
      }),
    );
    expect([viewer.code, viewer.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to manage plans.",
    ]);
    expect(await rowCounts(p)).toEqual(before);
  });
});

describe("listPlans", () => {
  it("lists a catalogue for its members only", async () => {
    await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Business", ...limits({ maxSites: 5 }) },
    });
    const plans = await listPlans({ actor: { userId: t.resAViewer.id }, ownerAccountId: t.resA.id });
    expect(plans.map((p) => [p.name, p.maxSites])).toEqual([
      ["Business", 5],
      ["Starter", 2],
    ]);
    // The platform's owner reaches every catalogue below; a customer does not see its provider's.
    expect(
      await listPlans({ actor: { userId: t.platformOwner.id }, ownerAccountId: t.resA.id }),
    ).toHaveLength(2);
    expect(
      (await rejection(listPlans({ actor: { userId: t.acmeOwner.id }, ownerAccountId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(listPlans({ actor: { userId: t.resBAdmin.id }, ownerAccountId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
  });
});

async function planId(name: string): Promise<string> {
  return (await db().prisma.plan.findFirstOrThrow({ where: { ownerAccountId: t.resA.id, name } })).id;
}

describe("assignPlan", () => {
  it("puts a customer on a plan from its reseller's catalogue, with a change", async () => {
    const view = await assignPlan({
      actor: { userId: t.resAAdmin.id },
      accountId: t.acme.id,
      input: { planId: await planId("Starter") },
    });
    expect(view).toMatchObject({ id: t.acme.id, plan: { name: "Starter" } });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Account", objectId: t.acme.id },
      orderBy: { id: "desc" },
    });
    expect(change.summary).toBe("Put Acme on plan Starter");
  });

  it("then enforces the plan's site limit in createSite, writing nothing", async () => {
    const p = db().prisma;
    const actor = { userId: t.acmeOwner.id };
    await createSite({ actor, accountId: t.acme.id, input: { name: "one", domain: "one.acme.test" } });
    await createSite({ actor, accountId: t.acme.id, input: { name: "two", domain: "two.acme.test" } });
    const before = await rowCounts(p);
    const err = await rejection(
      createSite({ actor, accountId: t.acme.id, input: { name: "three", domain: "three.acme.test" } }),
    );
    expect([err.code, err.message]).toEqual([
      "LIMIT_EXCEEDED",
      "Your plan allows 2 sites; you have 2. Upgrade the plan or delete a site.",
    ]);
    expect(await rowCounts(p)).toEqual(before);
  });

  it("refuses a downgrade below current usage, naming what is over, writing nothing", async () => {
    const p = db().prisma;
    const tiny = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Tiny", ...limits({ maxSites: 1, maxDomains: 1 }) },
    });
    const before = await rowCounts(p);
    const err = await rejection(
      assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: tiny.id } }),
    );
    expect([err.code, err.message]).toEqual([
      "LIMIT_EXCEEDED",
      "The plan Tiny is too small for Acme: it allows 1 site but the account has 2; it allows 1 domain but the account has 2. Remove what is over first, or choose a larger plan.",
    ]);
    expect(await rowCounts(p)).toEqual(before);
    expect((await p.account.findUniqueOrThrow({ where: { id: t.acme.id } })).planId).toBe(
      await planId("Starter"),
    );
  });

  it("refuses a plan beyond the reseller's allotment, and admits it with an oversell ratio", async () => {
    const p = db().prisma;
    // Reseller A's allotment holds 10 sites; Acme holds 2 of them (Starter).
    const huge = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Huge", ...limits({ maxSites: 11 }) },
    });
    const before = await rowCounts(p);
    const err = await rejection(
      assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: huge.id } }),
    );
    expect([err.code, err.message]).toEqual([
      "LIMIT_EXCEEDED",
      "The allotment of Reseller A is exhausted: 10 sites may be handed out, 2 already are, and this change needs 9 more. Choose a smaller plan or ask your provider for a larger allotment.",
    ]);
    expect(await rowCounts(p)).toEqual(before);

    await p.allotment.update({ where: { accountId: t.resA.id }, data: { oversellRatio: 1.1 } });
    await assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: huge.id } });
    await assignPlan({
      actor: { userId: t.resAAdmin.id },
      accountId: t.acme.id,
      input: { planId: await planId("Starter") },
    });
    await p.allotment.update({ where: { accountId: t.resA.id }, data: { oversellRatio: 1 } });
  });

  it("keeps a customer and other resellers out", async () => {
    const p = db().prisma;
    const before = await rowCounts(p);
    const business = await planId("Business");
    // The customer's own owner cannot change its plan: only its provider can.
    const self = await rejection(
      assignPlan({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id, input: { planId: business } }),
    );
    expect([self.code, self.message]).toEqual([
      "FORBIDDEN",
      "Only the provider of Acme can change the plan of this account. Contact your provider.",
    ]);
    const viewer = await rejection(
      assignPlan({ actor: { userId: t.resAViewer.id }, accountId: t.acme.id, input: { planId: business } }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    const stranger = await rejection(
      assignPlan({ actor: { userId: t.stranger.id }, accountId: t.acme.id, input: { planId: business } }),
    );
    expect(stranger.code).toBe("NOT_FOUND");
    // Reseller B reaches neither Acme nor Reseller A's plans...
    const otherReseller = await rejection(
      assignPlan({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id, input: { planId: business } }),
    );
    expect(otherReseller.code).toBe("NOT_FOUND");
    // ...nor can Reseller A put its own customer on a plan of Reseller B's, or Reseller B's customer on its own.
    const planB = await createPlan({
      actor: { userId: t.resBAdmin.id },
      ownerAccountId: t.resB.id,
      input: { name: "B plan", ...limits() },
    });
    const foreignPlan = await rejection(
      assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: planB.id } }),
    );
    expect([foreignPlan.code, foreignPlan.message]).toEqual(["NOT_FOUND", "Plan not found."]);
    const foreignCustomer = await rejection(
      assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.globex.id, input: { planId: business } }),
    );
    expect(foreignCustomer.code).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual({ ...before, plans: before.plans + 1, changes: before.changes + 1 });
  });
});

describe("updatePlan", () => {
  it("raises limits for every account on the plan", async () => {
    const updated = await updatePlan({
      actor: { userId: t.resAAdmin.id },
      planId: await planId("Starter"),
      input: { maxSites: "3" },
    });
    expect(updated).toMatchObject({ name: "Starter", maxSites: 3, accountCount: 1 });
    await createSite({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { name: "three", domain: "three.acme.test" },
    });
  });

  it("refuses lowering a limit below an account's usage, and raising beyond the allotment", async () => {
    const p = db().prisma;
    const starter = await planId("Starter");
    const before = await rowCounts(p);
    const down = await rejection(
      updatePlan({ actor: { userId: t.resAAdmin.id }, planId: starter, input: { maxSites: 1 } }),
    );
    expect([down.code, down.message]).toEqual([
      "LIMIT_EXCEEDED",
      "The plan Starter is too small for Acme: it allows 1 site but the account has 3. Remove what is over first, or choose a larger plan.",
    ]);
    const up = await rejection(
      updatePlan({ actor: { userId: t.resAAdmin.id }, planId: starter, input: { maxSites: 11 } }),
    );
    expect(up.code).toBe("LIMIT_EXCEEDED");
    expect(up.message).toContain("The allotment of Reseller A is exhausted: 10 sites may be handed out");
    const viewer = await rejection(
      updatePlan({ actor: { userId: t.resAViewer.id }, planId: starter, input: { maxSites: 4 } }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    const other = await rejection(
      updatePlan({ actor: { userId: t.resBAdmin.id }, planId: starter, input: { maxSites: 4 } }),
    );
    expect(other.code).toBe("NOT_FOUND");
    const renameClash = await rejection(
      updatePlan({ actor: { userId: t.resAAdmin.id }, planId: starter, input: { name: "Business" } }),
    );
    expect(renameClash.code).toBe("CONFLICT");
    expect(await rowCounts(p)).toEqual(before);
    expect((await p.plan.findUniqueOrThrow({ where: { id: starter } })).maxSites).toBe(3);
  });
});
