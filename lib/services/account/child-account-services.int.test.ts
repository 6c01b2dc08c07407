import { beforeAll, describe, expect, it } from "vitest";
import { createAccount } from "@/lib/services/account/create-account";
import { listChildAccounts } from "@/lib/services/account/list-child-accounts";
import { requestAccountTermination } from "@/lib/services/account/request-account-termination";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import { unsuspendAccount } from "@/lib/services/account/unsuspend-account";
import { createPlan } from "@/lib/services/plan/create-plan";
import { createSite } from "@/lib/services/site/create-site";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

describe("createAccount", () => {
  it("lets a reseller create a customer on one of its plans, with its path and a change", async () => {
    const plan = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Starter", ...limits({ maxSites: 4 }) },
    });
    const created = await createAccount({
      actor: { userId: t.resAAdmin.id, ip: "192.0.2.1" },
      parentId: t.resA.id,
      input: { kind: "CUSTOMER", slug: "initech", name: "Initech", planId: plan.id },
    });
    expect(created).toMatchObject({
      slug: "initech",
      kind: "CUSTOMER",
      status: "ACTIVE",
      parentId: t.resA.id,
      plan: { id: plan.id, name: "Starter" },
      siteCount: 0,
    });
    const row = await db().prisma.account.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.path).toBe(`${t.resA.path}${created.id}/`);
    const change = await db().prisma.changeLog.findFirstOrThrow({ where: { objectId: created.id } });
    expect(change).toMatchObject({
      kind: "Account",
      action: "CREATED",
      actorIp: "192.0.2.1",
      summary: "Created customer account Initech (initech) below Reseller A on plan Starter",
    });
  });

  it("lets the platform create a reseller with an allotment, and an agency create a client", async () => {
    const reseller = await createAccount({
      actor: { userId: t.platformOwner.id },
      parentId: t.platform.id,
      input: {
        kind: "RESELLER",
        slug: "res-c",
        name: "Reseller C",
        allotment: { ...limits(), oversellRatio: 1.5 },
      },
    });
    const allotment = await db().prisma.allotment.findUniqueOrThrow({ where: { accountId: reseller.id } });
    expect(allotment).toMatchObject({ maxSites: 3, oversellRatio: 1.5 });

    const agency = await createAccount({
      actor: { userId: t.platformOwner.id },
      parentId: t.platform.id,
      input: { kind: "AGENCY", slug: "agency", name: "Agency" },
    });
    const agencyAdmin = await createTestUser(db().prisma, {
      email: "admin@agency.test",
      roles: [{ account: { id: agency.id }, role: "ADMIN" }],
    });
    const client = await createAccount({
      actor: { userId: agencyAdmin.id },
      parentId: agency.id,
      input: { kind: "CUSTOMER", slug: "client", name: "Client" },
    });
    expect(client.parentId).toBe(agency.id);
    const refused = await rejection(
      createAccount({
        actor: { userId: agencyAdmin.id },
        parentId: agency.id,
        input: { kind: "RESELLER", slug: "nope", name: "Nope" },
      }),
    );
    expect([refused.code, refused.message]).toEqual([
      "INVALID_INPUT",
      "Agency is an agency; it cannot have reseller accounts below it.",
    ]);
  });

  it("refuses a plan beyond the allotment, a taken slug, strangers, viewers and other resellers, writing nothing", async () => {
    const p = db().prisma;
    // Reseller A's allotment holds 10 sites; Initech's plan holds 4.
    const big = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Big", ...limits({ maxSites: 7 }) },
    });
    const before = await rowCounts(p);
    const over = await rejection(
      createAccount({
        actor: { userId: t.resAAdmin.id },
        parentId: t.resA.id,
        input: { kind: "CUSTOMER", slug: "hooli", name: "Hooli", planId: big.id },
      }),
    );
    expect([over.code, over.message]).toEqual([
      "LIMIT_EXCEEDED",
      "The allotment of Reseller A is exhausted: 10 sites may be handed out, 4 already are, and this change needs 7 more. Choose a smaller plan or ask your provider for a larger allotment.",
    ]);
    const taken = await rejection(
      createAccount({
        actor: { userId: t.resAAdmin.id },
        parentId: t.resA.id,
        input: { kind: "CUSTOMER", slug: "acme", name: "Acme 2" },
      }),
    );
    expect([taken.code, taken.fieldErrors?.slug]).toEqual([
      "CONFLICT",
      "The short name acme is already taken.",
    ]);
    const input = { kind: "CUSTOMER", slug: "hooli", name: "Hooli" };
    expect(
      (await rejection(createAccount({ actor: { userId: t.stranger.id }, parentId: t.resA.id, input }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(createAccount({ actor: { userId: t.resBAdmin.id }, parentId: t.resA.id, input })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(createAccount({ actor: { userId: t.resAViewer.id }, parentId: t.resA.id, input })))
        .code,
    ).toBe("FORBIDDEN");
    // A plan of another reseller cannot be used, even by someone who reaches both.
    const planB = await createPlan({
      actor: { userId: t.resBAdmin.id },
      ownerAccountId: t.resB.id,
      input: { name: "B", ...limits() },
    });
    const foreignPlan = await rejection(
      createAccount({
        actor: { userId: t.platformOwner.id },
        parentId: t.resA.id,
        input: { ...input, planId: planB.id },
      }),
    );
    expect([foreignPlan.code, foreignPlan.message]).toEqual(["NOT_FOUND", "Plan not found."]);
    expect(await rowCounts(p)).toEqual({ ...before, plans: before.plans + 1, changes: before.changes + 1 });
  });
});

describe("listChildAccounts", () => {
  it("lists the accounts directly below, to the parent's members only", async () => {
    const children = await listChildAccounts({ actor: { userId: t.resAViewer.id }, parentId: t.resA.id });
    expect(children.map((c) => [c.slug, c.plan?.name ?? null])).toEqual([
      ["acme", null],
      ["initech", "Starter"],
    ]);
    expect(
      (await rejection(listChildAccounts({ actor: { userId: t.resBAdmin.id }, parentId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(listChildAccounts({ actor: { userId: t.stranger.id }, parentId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
  });
});

describe("suspendAccount / unsuspendAccount", () => {
  it("suspends with a reason, blocks new sites, and unsuspends", async () => {
    const p = db().prisma;
    const suspended = await suspendAccount({
      actor: { userId: t.resAAdmin.id, ip: "192.0.2.9" },
      accountId: t.acme.id,
      input: { reason: "Unpaid invoice" },
    });
    expect(suspended).toMatchObject({ status: "SUSPENDED", suspendedReason: "Unpaid invoice" });
    expect(suspended.suspendedAt).not.toBeNull();

    const before = await rowCounts(p);
    const blocked = await rejection(
      createSite({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { name: "x", domain: "x.acme.test" },
      }),
    );
    expect([blocked.code, blocked.message]).toEqual([
      "FORBIDDEN",
      "This account is suspended (Unpaid invoice). Contact your provider.",
    ]);
    const again = await rejection(
      suspendAccount({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { reason: "Again" } }),
    );
    expect([again.code, again.message]).toEqual(["CONFLICT", "Acme is already suspended."]);
    // The customer cannot lift its own suspension.
    const self = await rejection(
      unsuspendAccount({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id }),
    );
    expect(self.code).toBe("FORBIDDEN");
    expect(await rowCounts(p)).toEqual(before);

    const active = await unsuspendAccount({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id });
    expect(active).toMatchObject({ status: "ACTIVE", suspendedReason: null, suspendedAt: null });
    const summaries = await p.changeLog.findMany({
      where: { kind: "Account", objectId: t.acme.id },
      orderBy: { id: "asc" },
      select: { summary: true, actorIp: true },
    });
    expect(summaries).toEqual([
      { summary: "Suspended Acme: Unpaid invoice", actorIp: "192.0.2.9" },
      { summary: "Unsuspended Acme", actorIp: null },
    ]);
  });

  it("refuses a missing reason, viewers, strangers and other resellers, writing nothing", async () => {
    const p = db().prisma;
    const before = await rowCounts(p);
    const input = { reason: "Abuse" };
    const noReason = await rejection(
      suspendAccount({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { reason: " " } }),
    );
    expect(noReason.fieldErrors?.reason).toBe("Enter the reason for the suspension.");
    expect(
      (await rejection(suspendAccount({ actor: { userId: t.resAViewer.id }, accountId: t.acme.id, input })))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(suspendAccount({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id, input })))
        .code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(suspendAccount({ actor: { userId: t.stranger.id }, accountId: t.acme.id, input })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(suspendAccount({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id, input })))
        .code,
    ).toBe("NOT_FOUND");
    expect(
      (await rejection(unsuspendAccount({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual(before);
  });
});

describe("requestAccountTermination", () => {
  it("needs the slug typed, refuses accounts with live children, then marks the account once", async () => {
    const p = db().prisma;
    const initech = await p.account.findUniqueOrThrow({ where: { slug: "initech" } });
    const before = await rowCounts(p);
    const wrong = await rejection(
      requestAccountTermination({
        actor: { userId: t.resAAdmin.id },
        accountId: initech.id,
        input: { confirmSlug: "acme" },
      }),
    );
    expect([wrong.code, wrong.fieldErrors?.confirmSlug]).toEqual([
      "INVALID_INPUT",
      "Type initech to confirm.",
    ]);
    const withChildren = await rejection(
      requestAccountTermination({
        actor: { userId: t.platformOwner.id },
        accountId: t.resA.id,
        input: { confirmSlug: "res-a" },
      }),
    );
    expect([withChildren.code, withChildren.message]).toEqual([
      "CONFLICT",
      "Reseller A has 2 accounts below it; terminate them first.",
    ]);
    expect(
      (
        await rejection(
          requestAccountTermination({
            actor: { userId: t.resBAdmin.id },
            accountId: initech.id,
            input: { confirmSlug: "initech" },
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await rejection(
          requestAccountTermination({
            actor: { userId: t.resAViewer.id },
            accountId: initech.id,
            input: { confirmSlug: "initech" },
          }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(await rowCounts(p)).toEqual(before);

    const marked = await requestAccountTermination({
      actor: { userId: t.resAAdmin.id },
      accountId: initech.id,
      input: { confirmSlug: "initech" },
    });
    expect(marked.terminationRequestedAt).not.toBeNull();
    await requestAccountTermination({
      actor: { userId: t.resAAdmin.id },
      accountId: initech.id,
      input: { confirmSlug: "initech" },
    });
    expect(await rowCounts(p)).toEqual({ ...before, changes: before.changes + 1 });
    // Its plan no longer counts against the allotment, and nothing can be added to it.
    const blocked = await rejection(
      suspendAccount({ actor: { userId: t.resAAdmin.id }, accountId: initech.id, input: { reason: "x" } }),
    );
    expect([blocked.code, blocked.message]).toEqual(["CONFLICT", "Initech is being terminated."]);
  });
});
