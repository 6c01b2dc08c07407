import { beforeAll, describe, expect, it } from "vitest";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { getAllotmentUsage } from "@/lib/services/account/get-allotment-usage";
import { listDescendantAccounts } from "@/lib/services/account/list-descendant-accounts";
import { acceptInvite } from "@/lib/services/membership/accept-invite";
import { createInvite } from "@/lib/services/membership/create-invite";
import { createOwnerInvite } from "@/lib/services/membership/create-owner-invite";
import { getInvite } from "@/lib/services/membership/get-invite";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { registerUser } from "@/lib/services/user/register-user";
import { createTestAccount, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

describe("createOwnerInvite", () => {
  it("lets the provider invite the first owner, once, and the link makes its holder the owner", async () => {
    const fresh = await createTestAccount(db().prisma, { slug: "fresh", name: "Fresh", parent: t.resA });
    const { token, invite } = await createOwnerInvite({
      actor: { userId: t.resAAdmin.id },
      accountId: fresh.id,
    });
    expect(invite.role).toBe("OWNER");
    expect(await getInvite({ token })).toEqual({ accountName: "Fresh", role: "OWNER", registered: false });

    const user = await registerUser({
      input: { token, name: "Fran", email: "Fran@Fresh.test", password: "a-long-password" },
    });
    expect(user).toEqual({ email: "fran@fresh.test" });
    expect(await verifyCredentials({ email: "fran@fresh.test", password: "a-long-password" })).not.toBeNull();
    const fran = await db().prisma.user.findUniqueOrThrow({ where: { email: "fran@fresh.test" } });
    await acceptInvite({ actor: { userId: fran.id }, input: { token } });
    expect(await getInvite({ token })).toBeNull();
    const membership = await db().prisma.membership.findFirst({ where: { accountId: fresh.id } });
    expect(membership).toMatchObject({ userId: fran.id, role: "OWNER" });

    // Now that it has an owner, ownership is transferred, never invited again.
    expect(
      (await rejection(createOwnerInvite({ actor: { userId: t.resAAdmin.id }, accountId: fresh.id }))).code,
    ).toBe("CONFLICT");
  });

  it("refuses the account's own owner (FORBIDDEN) and strangers (NOT_FOUND), writing nothing", async () => {
    const before = await db().prisma.invite.count();
    expect(
      (await rejection(createOwnerInvite({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(createOwnerInvite({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id }))).code,
    ).toBe("NOT_FOUND");
    expect(await db().prisma.invite.count()).toBe(before);
  });
});

describe("registerUser", () => {
  it("needs a pending invitation; field errors name the field; a taken email is not revealed", async () => {
    const { token } = await createInvite({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { role: "VIEWER" },
    });
    const users = await db().prisma.user.count();
    const unknown = await rejection(
      registerUser({
        input: { token: "x".repeat(43), name: "N", email: "n@n.test", password: "a-long-password" },
      }),
    );
    expect(unknown.code).toBe("NOT_FOUND");
    const short = await rejection(
      registerUser({ input: { token, name: "N", email: "n@n.test", password: "short" } }),
    );
    expect(short.fieldErrors?.password).toMatch(/at least 10/);
    // Answered as for a new email (lib/services/user/register-user.int.test.ts has the rest).
    const taken = await registerUser({
      input: { token, name: "N", email: "owner@acme.test", password: "a-long-password" },
    });
    expect(taken).toEqual({ email: "owner@acme.test" });
    expect(await db().prisma.user.count()).toBe(users);
  });
});

describe("getAllotmentUsage and listDescendantAccounts", () => {
  it("sums the plans handed out below a reseller against its allotment", async () => {
    const plan = await createPlan({
      actor: { userId: t.resAAdmin.id },
      ownerAccountId: t.resA.id,
      input: { name: "Small", ...limits({ maxSites: 2 }) },
    });
    await assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: plan.id } });
    const usage = await getAllotmentUsage({ actor: { userId: t.resAAdmin.id }, accountId: t.resA.id });
    expect(usage.capacity?.maxSites).toBe(10);
    expect(usage.handedOut.maxSites).toBe(2);
    expect(
      (await getAllotmentUsage({ actor: { userId: t.resBAdmin.id }, accountId: t.resB.id })).allotment,
    ).toBeNull();
    expect(
      (await rejection(getAllotmentUsage({ actor: { userId: t.resBAdmin.id }, accountId: t.resA.id }))).code,
    ).toBe("NOT_FOUND");
  });

  it("lists the whole tree below the platform in order, with depth and site limits", async () => {
    const { accounts: tree, nextCursor } = await listDescendantAccounts({
      actor: { userId: t.platformOwner.id },
      accountId: t.platform.id,
    });
    expect(nextCursor).toBeNull();
    expect(new Map(tree.map((a) => [a.slug, a.depth]))).toEqual(
      new Map([
        ["res-a", 1],
        ["acme", 2],
        ["fresh", 2],
        ["res-b", 1],
        ["globex", 2],
      ]),
    );
    expect(tree).toHaveLength(5);
    // Tree order: each customer right after its own reseller's subtree began, before the next reseller.
    let reseller = "";
    for (const account of tree) {
      if (account.depth === 1) reseller = account.name;
      else expect(account.parentName).toBe(reseller);
    }
    expect(tree.find((a) => a.slug === "acme")).toMatchObject({
      siteLimit: 2,
      parentName: "Reseller A",
      allotment: null,
      conditions: [],
    });
    // The Edit allotment dialog starts from what the reseller has now.
    expect(tree.find((a) => a.slug === "res-a")?.allotment).toMatchObject({ maxSites: 10, oversellRatio: 1 });
    const degraded = {
      type: "Degraded",
      status: "True",
      reason: "TerminationBlocked",
      message: "The namespace is still terminating",
      lastTransitionTime: new Date().toISOString(),
      observedGeneration: 0,
    };
    await db().prisma.account.update({ where: { id: t.globex.id }, data: { conditions: [degraded] } });
    const withConditions = await listDescendantAccounts({
      actor: { userId: t.platformOwner.id },
      accountId: t.platform.id,
    });
    expect(withConditions.accounts.find((a) => a.slug === "globex")?.conditions).toEqual([degraded]);
    const resB = await listDescendantAccounts({ actor: { userId: t.resBAdmin.id }, accountId: t.resB.id });
    expect(resB.accounts.map((a) => [a.slug, a.depth])).toEqual([["globex", 1]]);
  });

  it("pages the tree: every account once, in the same order, each page continuing the last", async () => {
    const whole = await listDescendantAccounts({
      actor: { userId: t.platformOwner.id },
      accountId: t.platform.id,
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof listDescendantAccounts>> = await listDescendantAccounts({
        actor: { userId: t.platformOwner.id },
        accountId: t.platform.id,
        input: { limit: "2", ...(cursor ? { cursor } : {}) },
      });
      expect(page.accounts.length).toBeLessThanOrEqual(2);
      seen.push(...page.accounts.map((a) => a.slug));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(whole.accounts.map((a) => a.slug));
  });

  it("refuses a bad cursor or limit with the reason", async () => {
    const forged = Buffer.from("/x' OR 1=1 --/", "utf8").toString("base64url");
    for (const [input, fieldErrors] of [
      [{ cursor: forged }, { cursor: "Invalid cursor: pass the `nextCursor` value of the previous page." }],
      [{ cursor: "%%%" }, { cursor: "Invalid cursor: pass the `nextCursor` value of the previous page." }],
      [{ limit: "0" }, { limit: "At least 1." }],
      [{ limit: "501" }, { limit: "At most 500." }],
      [{ limit: "ten" }, { limit: "A number." }],
    ] as const) {
      const err = await rejection(
        listDescendantAccounts({ actor: { userId: t.platformOwner.id }, accountId: t.platform.id, input }),
      );
      expect(err.code).toBe("INVALID_INPUT");
      expect(err.fieldErrors).toEqual(fieldErrors);
    }
  });
});
