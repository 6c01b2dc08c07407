/**
 * Who reaches what. A role held on an account applies to the account and all its descendants;
 * Account.path ("/<rootId>/.../<selfId>/") makes "an account and everything below it" one
 * indexed prefix match.
 *
 * Objects the caller cannot reach answer NOT_FOUND (their existence is not revealed); reachable
 * objects for which the caller's role is too weak answer FORBIDDEN.
 */
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Account, Prisma, PrismaClient, Role } from "@/lib/generated/prisma/client";
import { type Permission, strongestRole } from "./permissions";

export type Db = PrismaClient | Prisma.TransactionClient;

interface RootMembership {
  role: Role;
  path: string;
}

async function membershipRoots(db: Db, userId: string): Promise<RootMembership[]> {
  const memberships = await db.membership.findMany({
    where: { userId },
    select: { role: true, account: { select: { path: true } } },
  });
  return memberships.map((m) => ({ role: m.role, path: m.account.path }));
}

/** Prisma `where` for the accounts `userId` reaches (those with a membership, and their descendants). */
export async function reachableAccountWhere(
  userId: string,
  db: Db = prisma,
): Promise<Prisma.AccountWhereInput> {
  const roots = await membershipRoots(db, userId);
  if (roots.length === 0) return { id: { in: [] } };
  return { OR: roots.map((r) => ({ path: { startsWith: r.path } })) };
}

/** The caller's role on each reachable account: the strongest among memberships on it or an ancestor. */
export function effectiveRole(accountPath: string, roots: readonly RootMembership[]): Role | null {
  return strongestRole(roots.filter((r) => accountPath.startsWith(r.path)).map((r) => r.role));
}

export async function listReachableAccounts(
  userId: string,
  db: Db = prisma,
): Promise<{ account: Account; role: Role }[]> {
  const roots = await membershipRoots(db, userId);
  if (roots.length === 0) return [];
  const accounts = await db.account.findMany({
    where: { OR: roots.map((r) => ({ path: { startsWith: r.path } })) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const result: { account: Account; role: Role }[] = [];
  for (const account of accounts) {
    const role = effectiveRole(account.path, roots);
    if (role) result.push({ account, role });
  }
  return result;
}

/** Ancestor ids (root first) and the account's own id, from its materialized path. */
export function accountIdsOnPath(path: string): string[] {
  return path.split("/").filter((part) => part.length > 0);
}

/** The strongest role `userId` holds on `accountId` or an ancestor, or null (also for unknown accounts). */
export async function getAccountRole(options: {
  userId: string;
  accountId: string;
  db?: Db;
}): Promise<Role | null> {
  const db = options.db ?? prisma;
  const account = await db.account.findUnique({ where: { id: options.accountId }, select: { path: true } });
  if (!account) return null;
  const memberships = await db.membership.findMany({
    where: { userId: options.userId, accountId: { in: accountIdsOnPath(account.path) } },
    select: { role: true },
  });
  return strongestRole(memberships.map((m) => m.role));
}

export interface AuthorizeAccountOptions {
  userId: string;
  accountId: string;
  permission: Permission;
  /** Used in the FORBIDDEN message: "Your role does not allow you to <action>." */
  action: string;
  db?: Db;
}

/** The caller's role on the account, or NOT_FOUND (unreachable) / FORBIDDEN (role too weak). */
export async function authorizeAccount(options: AuthorizeAccountOptions): Promise<Role> {
  const role = await getAccountRole(options);
  if (!role) throw new AppError("NOT_FOUND", "Account not found.");
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return role;
}

export interface AuthorizeSiteOptions {
  userId: string;
  siteId: string;
  permission: Permission;
  action: string;
  db?: Db;
}

/**
 * The site's id and account with the caller's role, looked up with the reachable accounts in the
 * `where` clause: a foreign site id is NOT_FOUND; a reachable one with a weak role is FORBIDDEN.
 */
export async function authorizeSite(
  options: AuthorizeSiteOptions,
): Promise<{ siteId: string; accountId: string; role: Role }> {
  const db = options.db ?? prisma;
  const site = await db.site.findFirst({
    where: { id: options.siteId, account: await reachableAccountWhere(options.userId, db) },
    select: { id: true, accountId: true },
  });
  if (!site) throw new AppError("NOT_FOUND", "Site not found.");
  const role = await getAccountRole({ userId: options.userId, accountId: site.accountId, db });
  if (!role) throw new AppError("NOT_FOUND", "Site not found.");
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { siteId: site.id, accountId: site.accountId, role };
}
