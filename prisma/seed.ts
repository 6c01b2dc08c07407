/**
 * `npm run db:seed`: the accounts and users a fresh local installation needs to be tried out.
 * Idempotent: running it again finds what exists and changes nothing unless a password variable
 * is set, which (re)sets that user's password.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { hashPassword } from "@/lib/auth/password";
import { createPrismaClient, DEFAULT_DATABASE_URL } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import type { AccountKind, PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Limits } from "@/lib/validation/plan";

export const DEFAULT_ADMIN_PASSWORD = "sitepod-admin";
export const DEFAULT_DEMO_PASSWORD = "sitepod-demo";
export const DEFAULT_RESELLER_PASSWORD = "sitepod-reseller";
export const DEFAULT_AGENCY_PASSWORD = "sitepod-agency";

export interface SeededUser {
  email: string;
  /** Shown only when this run set it (new user or password variable given). */
  password: string | null;
  account: string;
  role: "OWNER";
  defaultPassword: boolean;
  /** The environment variable that sets this user's password. */
  passwordVariable: string;
}

export interface SeedOptions {
  prisma: PrismaClient;
  /** Defaults to SITEPOD_ADMIN_PASSWORD / SITEPOD_DEMO_PASSWORD, then the local defaults. */
  adminPassword?: string;
  demoPassword?: string;
  resellerPassword?: string;
  agencyPassword?: string;
}

async function ensureAccount(
  prisma: PrismaClient,
  spec: { slug: string; name: string; kind: AccountKind; parent: { id: string; path: string } | null },
): Promise<{ id: string; path: string }> {
  const existing = await prisma.account.findUnique({
    where: { slug: spec.slug },
    select: { id: true, path: true },
  });
  if (existing) return existing;
  return prisma.$transaction(async (tx) => {
    // The path ends with the account's own id, known only after the insert.
    const created = await tx.account.create({
      data: {
        slug: spec.slug,
        name: spec.name,
        kind: spec.kind,
        parentId: spec.parent?.id ?? null,
        path: "/",
      },
      select: { id: true },
    });
    const accountPath = `${spec.parent?.path ?? "/"}${created.id}/`;
    await tx.account.update({ where: { id: created.id }, data: { path: accountPath } });
    return { id: created.id, path: accountPath };
  });
}

async function ensureOwner(
  prisma: PrismaClient,
  spec: {
    email: string;
    name: string;
    account: { id: string };
    accountSlug: string;
    password: string | undefined;
    fallback: string;
    passwordVariable: string;
  },
): Promise<SeededUser> {
  const existing = await prisma.user.findUnique({ where: { email: spec.email }, select: { id: true } });
  const password = spec.password ?? (existing ? null : spec.fallback);
  const passwordHash = password === null ? null : await hashPassword(password);
  const user = existing
    ? passwordHash
      ? await prisma.user.update({ where: { id: existing.id }, data: { passwordHash }, select: { id: true } })
      : existing
    : await prisma.user.create({
        data: { email: spec.email, name: spec.name, passwordHash: passwordHash ?? "" },
        select: { id: true },
      });
  await prisma.membership.upsert({
    where: { userId_accountId: { userId: user.id, accountId: spec.account.id } },
    create: { userId: user.id, accountId: spec.account.id, role: "OWNER" },
    update: { role: "OWNER" },
  });
  return {
    email: spec.email,
    password,
    account: spec.accountSlug,
    role: "OWNER",
    defaultPassword: password !== null && spec.password === undefined,
    passwordVariable: spec.passwordVariable,
  };
}

/**
 * Platform account with admin@sitepod.local, the demo customer with demo@sitepod.local, the
 * reseller Acme Hosting with reseller@sitepod.local and the agency Pixel Agency (two clients)
 * with agency@sitepod.local.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeededUser[]> {
  const { prisma } = options;
  const adminPassword = options.adminPassword ?? nonEmpty(process.env.SITEPOD_ADMIN_PASSWORD);
  const demoPassword = options.demoPassword ?? nonEmpty(process.env.SITEPOD_DEMO_PASSWORD);

  const platform = await ensureAccount(prisma, {
    slug: "platform",
    name: "Platform",
    kind: "PLATFORM",
    parent: null,
  });
  const demo = await ensureAccount(prisma, {
    slug: "demo",
    name: "Demo customer",
    kind: "CUSTOMER",
    parent: platform,
  });

  // A reseller with an allotment and a plan of its own, and an agency with two clients on a
  // platform plan, so that every area of the panel has something to show.
  const acme = await ensureAccount(prisma, {
    slug: "acme-hosting",
    name: "Acme Hosting",
    kind: "RESELLER",
    parent: platform,
  });
  await ensureAllotment(prisma, acme.id, RESELLER_ALLOTMENT);
  await ensurePlan(prisma, acme.id, "Starter", STARTER_PLAN);
  const pixel = await ensureAccount(prisma, {
    slug: "pixel-agency",
    name: "Pixel Agency",
    kind: "AGENCY",
    parent: platform,
  });
  await ensureAllotment(prisma, pixel.id, AGENCY_ALLOTMENT);
  const business = await ensurePlan(prisma, platform.id, "Business", BUSINESS_PLAN);
  for (const client of [
    { slug: "northwind", name: "Northwind Traders" },
    { slug: "wayfarer", name: "Wayfarer Coffee" },
  ]) {
    const account = await ensureAccount(prisma, { ...client, kind: "CUSTOMER", parent: pixel });
    // Only a client without a plan gets one: a plan changed in the panel stays changed.
    await prisma.account.updateMany({
      where: { id: account.id, planId: null },
      data: { planId: business.id },
    });
  }

  return [
    await ensureOwner(prisma, {
      email: "admin@sitepod.local",
      name: "Platform admin",
      account: platform,
      accountSlug: "platform",
      password: adminPassword,
      fallback: DEFAULT_ADMIN_PASSWORD,
      passwordVariable: "SITEPOD_ADMIN_PASSWORD",
    }),
    await ensureOwner(prisma, {
      email: "demo@sitepod.local",
      name: "Demo user",
      account: demo,
      accountSlug: "demo",
      password: demoPassword,
      fallback: DEFAULT_DEMO_PASSWORD,
      passwordVariable: "SITEPOD_DEMO_PASSWORD",
    }),
    await ensureOwner(prisma, {
      email: "reseller@sitepod.local",
      name: "Acme Hosting owner",
      account: acme,
      accountSlug: "acme-hosting",
      password: options.resellerPassword ?? nonEmpty(process.env.SITEPOD_RESELLER_PASSWORD),
      fallback: DEFAULT_RESELLER_PASSWORD,
      passwordVariable: "SITEPOD_RESELLER_PASSWORD",
    }),
    await ensureOwner(prisma, {
      email: "agency@sitepod.local",
      name: "Pixel Agency owner",
      account: pixel,
      accountSlug: "pixel-agency",
      password: options.agencyPassword ?? nonEmpty(process.env.SITEPOD_AGENCY_PASSWORD),
      fallback: DEFAULT_AGENCY_PASSWORD,
      passwordVariable: "SITEPOD_AGENCY_PASSWORD",
    }),
  ];
}

const RESELLER_ALLOTMENT: Limits = {
  maxSites: 50,
  maxDomains: 200,
  maxDatabases: 50,
  maxCronJobs: 100,
  storageGiB: 500,
  cpuMillicores: 20_000,
  memoryMiB: 40_960,
  backupsKept: 200,
};
const AGENCY_ALLOTMENT: Limits = { ...RESELLER_ALLOTMENT, maxSites: 20, storageGiB: 200 };
const STARTER_PLAN: Limits = {
  maxSites: 3,
  maxDomains: 10,
  maxDatabases: 3,
  maxCronJobs: 5,
  storageGiB: 10,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  backupsKept: 7,
};
const BUSINESS_PLAN: Limits = { ...STARTER_PLAN, maxSites: 5, maxDomains: 20, storageGiB: 25 };

async function ensureAllotment(prisma: PrismaClient, accountId: string, limits: Limits): Promise<void> {
  await prisma.allotment.upsert({ where: { accountId }, create: { accountId, ...limits }, update: {} });
}

async function ensurePlan(
  prisma: PrismaClient,
  ownerAccountId: string,
  name: string,
  limits: Limits,
): Promise<{ id: string }> {
  return prisma.plan.upsert({
    where: { ownerAccountId_name: { ownerAccountId, name } },
    create: { ownerAccountId, name, ...limits },
    update: {},
    select: { id: true },
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

export function formatCredentials(users: SeededUser[]): string {
  const rows = [
    ["email", "password", "account", "role"],
    ...users.map((u) => [u.email, u.password ?? "(unchanged)", u.account, u.role]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await migrateDatabase({ url });
  const prisma = createPrismaClient(url);
  try {
    const users = await seedDatabase({ prisma });
    for (const user of users.filter((u) => u.defaultPassword)) {
      console.warn(
        `warning: ${user.email} has the local default password; set ${user.passwordVariable} for anything but a local trial`,
      );
    }
    process.stdout.write(`${formatCredentials(users)}\n`);
  } finally {
    await prisma.$disconnect();
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((err: unknown) => {
    log.error("seeding failed", { err });
    process.exitCode = 1;
  });
}
