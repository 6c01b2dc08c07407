import { beforeAll, describe, expect, it } from "vitest";
import { setAllotment } from "@/lib/services/account/set-allotment";
import { createInvite } from "@/lib/services/membership/create-invite";
import { listMembers } from "@/lib/services/membership/list-members";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { createSite } from "@/lib/services/site/create-site";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
  const plan = await createPlan({
    actor: { userId: t.resAAdmin.id },
    ownerAccountId: t.resA.id,
    input: { name: "Starter", ...limits({ maxSites: 4 }) },
  });
  await assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: plan.id } });
  await createSite({
    actor: { userId: t.acmeOwner.id },
    accountId: t.acme.id,
    input: { name: "blog", domain: "blog.acme.test" },
  });
});

describe("getAccountQuota", () => {
  it("shows members the plan's limits next to the usage", async () => {
    const quota = await getAccountQuota({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id });
    expect(quota).toMatchObject({
      plan: { name: "Starter", maxSites: 4, maxDomains: 10 },
      // The WordPress site's own database counts as one.
      usage: { maxSites: 1, maxDomains: 1, maxDatabases: 1 },
      status: "ACTIVE",
      terminationRequested: false,
    });
    const foreign = await rejection(
      getAccountQuota({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }),
    );
    expect(foreign.code).toBe("NOT_FOUND");
    expect(
      (await getAccountQuota({ actor: { userId: t.resBAdmin.id }, accountId: t.globex.id })).plan,
    ).toBeNull();
  });
});

describe("listMembers", () => {
  it("lists direct members by role, and pending invites to those who may invite", async () => {
    await createInvite({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { role: "VIEWER" },
    });
    const owner = await listMembers({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(owner.members.map((m) => [m.email, m.role])).toEqual([
      ["owner@acme.test", "OWNER"],
      ["viewer@acme.test", "VIEWER"],
    ]);
    expect(owner.pendingInvites.map((i) => i.role)).toEqual(["VIEWER"]);
    const viewer = await listMembers({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id });
    expect(viewer.pendingInvites).toEqual([]);
    expect(
      (await rejection(listMembers({ actor: { userId: t.stranger.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
  });
});

describe("setAllotment", () => {
  it("lets the provider replace an allotment, never below what is handed out", async () => {
    const p = db().prisma;
    const actor = { userId: t.platformOwner.id };
    const set = await setAllotment({
      actor,
      accountId: t.resA.id,
      input: { ...limits({ maxSites: 5 }), oversellRatio: "1.2" },
    });
    expect(set).toMatchObject({ maxSites: 5, oversellRatio: 1.2 });
    expect(await p.allotment.findUniqueOrThrow({ where: { accountId: t.resA.id } })).toMatchObject({
      maxSites: 5,
      oversellRatio: 1.2,
    });

    const before = await rowCounts(p);
    const below = await rejection(
      setAllotment({ actor, accountId: t.resA.id, input: limits({ maxSites: 3 }) }),
    );
    expect([below.code, below.message]).toEqual([
      "LIMIT_EXCEEDED",
      "Reseller A has already handed out more than this allotment allows: 4 sites handed out, 3 allowed. Raise the allotment or the oversell ratio.",
    ]);
    // Only the provider: not the reseller itself, not another reseller, not a customer account.
    const self = await rejection(
      setAllotment({
        actor: { userId: t.resAAdmin.id },
        accountId: t.resA.id,
        input: limits({ maxSites: 100 }),
      }),
    );
    expect(self.code).toBe("FORBIDDEN");
    const other = await rejection(
      setAllotment({
        actor: { userId: t.resBAdmin.id },
        accountId: t.resA.id,
        input: limits({ maxSites: 100 }),
      }),
    );
    expect(other.code).toBe("NOT_FOUND");
    const customer = await rejection(setAllotment({ actor, accountId: t.acme.id, input: limits() }));
    expect([customer.code, customer.message]).toEqual([
      "INVALID_INPUT",
      "Only resellers and agencies have an allotment.",
    ]);
    expect(await rowCounts(p)).toEqual(before);

    await setAllotment({ actor, accountId: t.resB.id, input: limits() });
    expect(await rowCounts(p)).toEqual({
      ...before,
      allotments: before.allotments + 1,
      changes: before.changes + 1,
    });
  });
});
