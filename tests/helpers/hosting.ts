/**
 * A small hosting tree for the integration tests of plans, accounts and members:
 *
 *   platform ─┬─ resA (reseller, allotment: 10 sites, ten default plans' worth of the rest) ── acme (customer)
 *             └─ resB (reseller) ── globex (customer)
 */

import { AppError } from "@/lib/errors";
import type { Account, PrismaClient, User } from "@/lib/generated/prisma/client";
import type { Limits } from "@/lib/validation/plan";
import { createTestAccount, createTestUser } from "./db";

export function limits(overrides: Partial<Limits> = {}): Limits {
  return {
    maxSites: 3,
    maxDomains: 10,
    maxDatabases: 3,
    maxCronJobs: 5,
    storageGiB: 20,
    cpuMillicores: 1000,
    memoryMiB: 2048,
    backupsKept: 7,
    ...overrides,
  };
}

function tenTimes(l: Limits): Limits {
  return Object.fromEntries(Object.entries(l).map(([key, value]) => [key, value * 10])) as Limits;
}

export interface HostingTree {
  platform: Account;
  resA: Account;
  resB: Account;
  acme: Account;
  globex: Account;
  platformOwner: User;
  resAAdmin: User;
  resAViewer: User;
  resBAdmin: User;
  acmeOwner: User;
  acmeViewer: User;
  stranger: User;
}

export async function createHostingTree(p: PrismaClient, prefix = ""): Promise<HostingTree> {
  const platform = await createTestAccount(p, {
    slug: `${prefix}platform`,
    kind: "PLATFORM",
    name: "Platform",
  });
  const resA = await createTestAccount(p, {
    slug: `${prefix}res-a`,
    kind: "RESELLER",
    name: "Reseller A",
    parent: platform,
  });
  // Room for ten default plans, except sites: ten in all, so site counts hit the allotment first.
  await p.allotment.create({ data: { accountId: resA.id, ...tenTimes(limits()), maxSites: 10 } });
  const resB = await createTestAccount(p, {
    slug: `${prefix}res-b`,
    kind: "RESELLER",
    name: "Reseller B",
    parent: platform,
  });
  const acme = await createTestAccount(p, { slug: `${prefix}acme`, name: "Acme", parent: resA });
  const globex = await createTestAccount(p, { slug: `${prefix}globex`, name: "Globex", parent: resB });
  const user = (
    email: string,
    roles: { account: Account; role: "OWNER" | "ADMIN" | "DEVELOPER" | "VIEWER" }[],
  ) => createTestUser(p, { email: `${prefix}${email}`, roles });
  return {
    platform,
    resA,
    resB,
    acme,
    globex,
    platformOwner: await user("owner@platform.test", [{ account: platform, role: "OWNER" }]),
    resAAdmin: await user("admin@res-a.test", [{ account: resA, role: "ADMIN" }]),
    resAViewer: await user("viewer@res-a.test", [{ account: resA, role: "VIEWER" }]),
    resBAdmin: await user("admin@res-b.test", [{ account: resB, role: "ADMIN" }]),
    acmeOwner: await user("owner@acme.test", [{ account: acme, role: "OWNER" }]),
    acmeViewer: await user("viewer@acme.test", [{ account: acme, role: "VIEWER" }]),
    stranger: await user("stranger@test.test", []),
  };
}

/** The AppError a promise rejects with (fails the test if it resolves or rejects with anything else). */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

/** Row counts of every table a hosting service writes, to show that a refused call wrote nothing. */
export interface RowCounts {
  accounts: number;
  allotments: number;
  plans: number;
  memberships: number;
  invites: number;
  sites: number;
  changes: number;
}

export async function rowCounts(p: PrismaClient): Promise<RowCounts> {
  return {
    accounts: await p.account.count(),
    allotments: await p.allotment.count(),
    plans: await p.plan.count(),
    memberships: await p.membership.count(),
    invites: await p.invite.count(),
    sites: await p.site.count(),
    changes: await p.changeLog.count(),
  };
}
