/**
 * An account below a reseller or agency with an allotment either has a plan, which counts against
 * the allotment, or counts against it in full with what it uses and may not grow: a provider cannot
 * hand out hosting beyond its allotment through a client without a plan.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Account, User } from "@/lib/generated/prisma/client";
import { createAccount } from "@/lib/services/account/create-account";
import { getAllotmentUsage } from "@/lib/services/account/get-allotment-usage";
import { setAllotment } from "@/lib/services/account/set-allotment";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { createSite } from "@/lib/services/site/create-site";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { limits, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let platform: Account;
let agency: Account;
let agencyAdmin: User;
let platformOwner: User;
let onePlanId = "";

const PLAN_REQUIRED =
  "Choose a plan: accounts below a reseller or agency with an allotment need one, so that what they use counts against it.";
const NO_PLAN_NO_SITES =
  "This account has no plan, so no sites can be created in it. Ask your provider to put it on a plan.";

beforeAll(async () => {
  const p = db().prisma;
  platform = await createTestAccount(p, { slug: "pl-platform", kind: "PLATFORM", name: "Platform" });
  agency = await createTestAccount(p, { slug: "pl-agency", kind: "AGENCY", name: "Pixel", parent: platform });
  // The allotment allows one site (and room for everything else: a WordPress site's own database
  // counts as a database too).
  await p.allotment.create({
    data: { accountId: agency.id, ...limits({ maxSites: 1, maxDomains: 5, maxDatabases: 10 }) },
  });
  agencyAdmin = await createTestUser(p, {
    email: "admin@pl-agency.test",
    roles: [{ account: agency, role: "ADMIN" }],
  });
  platformOwner = await createTestUser(p, {
    email: "owner@pl-platform.test",
    roles: [{ account: platform, role: "OWNER" }],
  });
  onePlanId = (
    await createPlan({
      actor: { userId: agencyAdmin.id },
      ownerAccountId: agency.id,
      input: { name: "One", ...limits({ maxSites: 1, maxDomains: 1 }) },
    })
  ).id;
});

describe("plan-less accounts below an allotment", () => {
  it("refuses to create a client without a plan, next to the plan field, writing nothing", async () => {
    const before = await rowCounts(db().prisma);
    for (const planId of [undefined, null, ""]) {
      const refused = await rejection(
        createAccount({
          actor: { userId: agencyAdmin.id },
          parentId: agency.id,
          input: { kind: "CUSTOMER", slug: "client-x", name: "Client X", planId },
        }),
      );
      expect([refused.code, refused.fieldErrors?.planId]).toEqual(["INVALID_INPUT", PLAN_REQUIRED]);
    }
    expect(await rowCounts(db().prisma)).toEqual(before);
  });

  it("refuses sites in a client that has no plan (one made before this rule), writing nothing", async () => {
    const p = db().prisma;
    const legacy = await createTestAccount(p, { slug: "pl-legacy", name: "Legacy", parent: agency });
    const before = await rowCounts(p);
    for (const name of ["one", "two"]) {
      const refused = await rejection(
        createSite({
          actor: { userId: agencyAdmin.id },
          accountId: legacy.id,
          input: { name, domain: `${name}.legacy.test` },
        }),
      );
      expect([refused.code, refused.message]).toEqual(["LIMIT_EXCEEDED", NO_PLAN_NO_SITES]);
    }
    expect(await rowCounts(p)).toEqual(before);
  });

  it("counts what a plan-less client uses against the allotment in full", async () => {
    const p = db().prisma;
    // A site a plan-less client had before the rule (written directly: the services refuse it now).
    const legacy = await p.account.findUniqueOrThrow({ where: { slug: "pl-legacy" } });
    await p.site.create({
      data: {
        accountId: legacy.id,
        name: "old",
        phpVersion: "8.4",
        title: "old",
        conditions: [],
        secretsCiphertext: "x",
        domains: { create: { hostname: "old.legacy.test", isPrimary: true } },
      },
    });
    const usage = await getAllotmentUsage({ actor: { userId: agencyAdmin.id }, accountId: agency.id });
    expect([usage.handedOut.maxSites, usage.handedOut.maxDomains]).toEqual([1, 1]);

    // The allotment's one site is used: a client on a one-site plan no longer fits ...
    const before = await rowCounts(p);
    const refused = await rejection(
      createAccount({
        actor: { userId: agencyAdmin.id },
        parentId: agency.id,
        input: { kind: "CUSTOMER", slug: "client-y", name: "Client Y", planId: onePlanId },
      }),
    );
    expect([refused.code, refused.message]).toEqual([
      "LIMIT_EXCEEDED",
      // The legacy site counts with its footprint (siteFootprint) too: 5 GiB, 120m, 448 MiB.
      "The allotment of Pixel is exhausted: 1 site may be handed out, 1 already is, and this change needs 1 more; 20 GiB of storage may be handed out, 5 already are, and this change needs 20 more; 1000 CPU millicores may be handed out, 120 already are, and this change needs 1000 more; 2048 MiB of memory may be handed out, 448 already are, and this change needs 2048 more. Choose a smaller plan or ask your provider for a larger allotment.",
    ]);
    expect(await rowCounts(p)).toEqual(before);
    // ... and the allotment cannot be lowered below it.
    const lowered = await rejection(
      setAllotment({
        actor: { userId: platformOwner.id },
        accountId: agency.id,
        input: limits({ maxSites: 0, maxDomains: 5, maxDatabases: 10 }),
      }),
    );
    expect(lowered.message).toBe(
      "Pixel has already handed out more than this allotment allows: 1 site handed out, 0 allowed. Raise the allotment or the oversell ratio.",
    );

    // Putting the client on the plan replaces its usage by the plan: still one site in all.
    await assignPlan({
      actor: { userId: agencyAdmin.id },
      accountId: legacy.id,
      input: { planId: onePlanId },
    });
    const after = await getAllotmentUsage({ actor: { userId: agencyAdmin.id }, accountId: agency.id });
    expect(after.handedOut.maxSites).toBe(1);
  });

  it("refuses to take the plan away from a client below the allotment, writing nothing", async () => {
    const p = db().prisma;
    const legacy = await p.account.findUniqueOrThrow({ where: { slug: "pl-legacy" } });
    const before = await rowCounts(p);
    const refused = await rejection(
      assignPlan({ actor: { userId: agencyAdmin.id }, accountId: legacy.id, input: { planId: null } }),
    );
    expect([refused.code, refused.fieldErrors?.planId]).toEqual(["INVALID_INPUT", PLAN_REQUIRED]);
    expect((await p.account.findUniqueOrThrow({ where: { id: legacy.id } })).planId).toBe(onePlanId);
    expect(await rowCounts(p)).toEqual(before);
  });

  it("still lets the platform's own customers go without a plan (no limits)", async () => {
    const customer = await createAccount({
      actor: { userId: platformOwner.id },
      parentId: platform.id,
      input: { kind: "CUSTOMER", slug: "pl-direct", name: "Direct" },
    });
    expect(customer.plan).toBeNull();
    for (const name of ["a", "b"]) {
      await createSite({
        actor: { userId: platformOwner.id },
        accountId: customer.id,
        input: { name, domain: `${name}.direct.test` },
      });
    }
    expect(await db().prisma.site.count({ where: { accountId: customer.id } })).toBe(2);
  });
});
