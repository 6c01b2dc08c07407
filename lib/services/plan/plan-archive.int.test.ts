import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/services/account/create-account";
import { requestAccountTermination } from "@/lib/services/account/request-account-termination";
import { archivePlan } from "@/lib/services/plan/archive-plan";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { deletePlan } from "@/lib/services/plan/delete-plan";
import { listPlans } from "@/lib/services/plan/list-plans";
import { unarchivePlan } from "@/lib/services/plan/unarchive-plan";
import { updatePlan } from "@/lib/services/plan/update-plan";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

const admin = () => ({ userId: t.resAAdmin.id, ip: "198.51.100.9" });

async function plan(name: string) {
  return createPlan({ actor: admin(), ownerAccountId: t.resA.id, input: { name, ...limits() } });
}

async function lastChange(objectId: string) {
  return db().prisma.changeLog.findFirstOrThrow({ where: { objectId }, orderBy: { id: "desc" } });
}

describe("archivePlan and unarchivePlan", () => {
  it("archive keeps the plan with its accounts, stops offering it, and records who did it", async () => {
    const p = db().prisma;
    const old = await plan("Old");
    await assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: old.id } });

    const archived = await archivePlan({ actor: admin(), planId: old.id });
    expect(archived).toMatchObject({ name: "Old", accountCount: 1, archivedAt: expect.any(String) });
    expect(await lastChange(old.id)).toMatchObject({
      kind: "Plan",
      action: "UPDATED",
      accountId: t.resA.id,
      actorUserId: t.resAAdmin.id,
      actorIp: "198.51.100.9",
      summary: "Archived plan Old",
    });
    // Acme keeps it.
    expect((await p.account.findUniqueOrThrow({ where: { id: t.acme.id } })).planId).toBe(old.id);
    // Listed in the catalogue (marked), but not among the plans offered.
    const all = await listPlans({ actor: admin(), ownerAccountId: t.resA.id });
    expect(all.find((x) => x.id === old.id)?.archivedAt).not.toBeNull();
    const offered = await listPlans({ actor: admin(), ownerAccountId: t.resA.id, offeredOnly: true });
    expect(offered.map((x) => x.id)).not.toContain(old.id);
    // Its limits can still change, for the accounts still on it.
    expect(
      (await updatePlan({ actor: admin(), planId: old.id, input: { maxSites: 4 } })).archivedAt,
    ).not.toBeNull();
  });

  it("refuses an archived plan for a new account and for a plan change, writing nothing", async () => {
    const p = db().prisma;
    const old = (await listPlans({ actor: admin(), ownerAccountId: t.resA.id })).find(
      (x) => x.name === "Old",
    );
    if (!old) throw new Error("Old plan missing");
    const other = await plan("Other");
    await assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: other.id } });
    const before = await rowCounts(p);
    const message = "The plan Old is archived: it is no longer offered. Choose another plan.";

    const created = await rejection(
      createAccount({
        actor: admin(),
        parentId: t.resA.id,
        input: { kind: "CUSTOMER", slug: "newcomer", name: "Newcomer", planId: old.id },
      }),
    );
    expect([created.code, created.message, created.fieldErrors]).toEqual([
      "CONFLICT",
      message,
      { planId: message },
    ]);
    const moved = await rejection(
      assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: old.id } }),
    );
    expect([moved.code, moved.message]).toEqual(["CONFLICT", message]);
    expect(await rowCounts(p)).toEqual(before);
    expect((await p.account.findUniqueOrThrow({ where: { id: t.acme.id } })).planId).toBe(other.id);
  });

  it("unarchive offers it again; archiving twice or unarchiving an offered plan is a conflict", async () => {
    const old = (await listPlans({ actor: admin(), ownerAccountId: t.resA.id })).find(
      (x) => x.name === "Old",
    );
    if (!old) throw new Error("Old plan missing");
    const again = await rejection(archivePlan({ actor: admin(), planId: old.id }));
    expect([again.code, again.message]).toEqual(["CONFLICT", "The plan Old is already archived."]);

    expect((await unarchivePlan({ actor: admin(), planId: old.id })).archivedAt).toBeNull();
    expect((await lastChange(old.id)).summary).toBe("Unarchived plan Old");
    const notArchived = await rejection(unarchivePlan({ actor: admin(), planId: old.id }));
    expect([notArchived.code, notArchived.message]).toEqual(["CONFLICT", "The plan Old is not archived."]);
    await assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: old.id } });
  });

  it("keeps viewers, the customer and other resellers out, writing nothing", async () => {
    const p = db().prisma;
    const old = (await listPlans({ actor: admin(), ownerAccountId: t.resA.id })).find(
      (x) => x.name === "Old",
    );
    if (!old) throw new Error("Old plan missing");
    const before = await rowCounts(p);
    for (const [userId, code] of [
      [t.resAViewer.id, "FORBIDDEN"],
      [t.acmeOwner.id, "NOT_FOUND"],
      [t.resBAdmin.id, "NOT_FOUND"],
      [t.stranger.id, "NOT_FOUND"],
    ] as const) {
      for (const call of [archivePlan, unarchivePlan, deletePlan]) {
        const err = await rejection(call({ actor: { userId }, planId: old.id }));
        expect(err.code, `${call.name} by ${userId}`).toBe(code);
      }
    }
    expect(await rowCounts(p)).toEqual(before);
  });
});

describe("deletePlan", () => {
  it("refuses while accounts are on it, naming how many, terminating ones included", async () => {
    const p = db().prisma;
    const busy = await plan("Busy");
    const second = await createAccount({
      actor: admin(),
      parentId: t.resA.id,
      input: { kind: "CUSTOMER", slug: "second", name: "Second", planId: busy.id },
    });
    await assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: busy.id } });
    const before = await rowCounts(p);
    const two = await rejection(deletePlan({ actor: admin(), planId: busy.id }));
    expect([two.code, two.message]).toEqual([
      "CONFLICT",
      "The plan Busy cannot be deleted: 2 accounts are on it. Move them to another plan first, or archive the plan to stop offering it.",
    ]);
    expect(await rowCounts(p)).toEqual(before);

    const other = (await listPlans({ actor: admin(), ownerAccountId: t.resA.id })).find(
      (x) => x.name === "Other",
    );
    if (!other) throw new Error("Other plan missing");
    await assignPlan({ actor: admin(), accountId: t.acme.id, input: { planId: other.id } });
    await requestAccountTermination({
      actor: admin(),
      accountId: second.id,
      input: { confirmSlug: "second" },
    });
    const terminating = await rejection(deletePlan({ actor: admin(), planId: busy.id }));
    expect(terminating.message).toBe(
      "The plan Busy cannot be deleted: 1 account is on it (1 being terminated). Move it to another plan first, or archive the plan to stop offering it.",
    );
    // The termination finished: the reconciler deletes the account's row.
    await p.account.delete({ where: { id: second.id } });
    await p.invite.deleteMany({ where: { accountId: second.id } });
  });

  it("deletes an unused plan, archived or not, with a DELETED change", async () => {
    const p = db().prisma;
    const busy = (await listPlans({ actor: admin(), ownerAccountId: t.resA.id })).find(
      (x) => x.name === "Busy",
    );
    if (!busy) throw new Error("Busy plan missing");
    await archivePlan({ actor: admin(), planId: busy.id });
    expect(await deletePlan({ actor: admin(), planId: busy.id })).toEqual({ id: busy.id });
    expect(await p.plan.findUnique({ where: { id: busy.id } })).toBeNull();
    expect(await lastChange(busy.id)).toMatchObject({
      kind: "Plan",
      action: "DELETED",
      accountId: t.resA.id,
      summary: "Deleted plan Busy",
    });
    const gone = await rejection(deletePlan({ actor: admin(), planId: busy.id }));
    expect([gone.code, gone.message]).toEqual(["NOT_FOUND", "Plan not found."]);
  });
});
