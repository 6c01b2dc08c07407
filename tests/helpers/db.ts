/**
 * Each test file gets its own migrated MariaDB database (`sitepod_t_<hex>`) and drops it afterwards,
 * so suites never see each other's rows and never touch the developer's `sitepod` database.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { createPrismaClient, setPrismaClient } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import type { Account, AccountKind, PrismaClient, Role, User } from "@/lib/generated/prisma/client";
import { dropDatabase } from "./mariadb-admin";

export { dropDatabase };

/** The server tests create their databases on (no database in the path). */
export const TEST_DATABASE_SERVER_URL =
  process.env.SITEPOD_TEST_DATABASE_SERVER_URL ?? "mysql://root@127.0.0.1:3306";

export interface TestDatabase {
  name: string;
  url: string;
  prisma: PrismaClient;
  /** Disconnects the client and drops the database. Safe to call twice. */
  drop(): Promise<void>;
}

export function testDatabaseUrl(name: string, serverUrl = TEST_DATABASE_SERVER_URL): string {
  return `${serverUrl.replace(/\/+$/, "")}/${name}`;
}

/**
 * The runtime catalog every test database starts with: what the local cluster registers (Debian 12
 * gives PHP 8.2, Debian 13 PHP 8.4). Sites need their version in it; a test about an empty or
 * different catalog changes the rows itself.
 */
export const TEST_RUNTIMES = [
  { phpVersion: "8.4", image: "sitepod.local/runtime:php8.4", label: "Debian 13" },
  { phpVersion: "8.2", image: "sitepod.local/runtime:php8.2", label: "Debian 12" },
] as const;

/** `serverUrl`: another server than the shared one (a test's private MariaDB, tests/helpers/private-mariadb.ts). */
export async function createTestDatabase(options: { serverUrl?: string } = {}): Promise<TestDatabase> {
  const name = `sitepod_t_${randomBytes(6).toString("hex")}`;
  const url = testDatabaseUrl(name, options.serverUrl);
  await migrateDatabase({ url });
  const prisma = createPrismaClient(url);
  await prisma.runtimeImage.createMany({ data: [...TEST_RUNTIMES] });
  let dropped = false;
  return {
    name,
    url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await dropDatabase(url);
    },
  };
}

/**
 * For a vitest file whose code under test uses `prisma` from lib/db.ts: creates a test database in
 * beforeAll, points DATABASE_URL and the shared client at it, and drops it in afterAll.
 * Returns a getter (the database exists only once beforeAll ran).
 */
export function withTestDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  const previousUrl = process.env.DATABASE_URL;
  beforeAll(async () => {
    db = await createTestDatabase();
    process.env.DATABASE_URL = db.url;
    setPrismaClient(db.prisma);
  });
  afterAll(async () => {
    setPrismaClient(undefined);
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    await db?.drop();
  });
  return () => {
    if (!db) throw new Error("withTestDatabase(): the database exists only inside tests and hooks");
    return db;
  };
}

/** An account under `parent` (or a root), with its materialized path set as the services expect. */
export async function createTestAccount(
  db: PrismaClient,
  options: { slug: string; kind?: AccountKind; name?: string; parent?: Pick<Account, "id" | "path"> },
): Promise<Account> {
  const id = `acc${randomBytes(8).toString("hex")}`;
  return db.account.create({
    data: {
      id,
      slug: options.slug,
      name: options.name ?? options.slug,
      kind: options.kind ?? "CUSTOMER",
      parentId: options.parent?.id ?? null,
      path: `${options.parent?.path ?? "/"}${id}/`,
    },
  });
}

/** A user with the given roles; its password hash is a placeholder unless `passwordHash` is passed. */
export async function createTestUser(
  db: PrismaClient,
  options: {
    email: string;
    name?: string;
    passwordHash?: string;
    roles?: { account: Pick<Account, "id">; role: Role }[];
  },
): Promise<User> {
  return db.user.create({
    data: {
      email: options.email,
      name: options.name ?? options.email,
      passwordHash: options.passwordHash ?? "not-a-hash",
      memberships: { create: (options.roles ?? []).map((r) => ({ accountId: r.account.id, role: r.role })) },
    },
  });
}
