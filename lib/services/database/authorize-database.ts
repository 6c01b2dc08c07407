/**
 * Databases and database users are reached through their account: looked up with the caller's
 * reachable accounts in the `where` clause, so a foreign id is NOT_FOUND (as for sites), and a
 * reachable one with too weak a role is FORBIDDEN.
 */
import type { Permission } from "@/lib/authz/permissions";
import { type AuthzSubject, type Db, getAccountRole, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";

interface AuthorizeOptions {
  actor: AuthzSubject;
  permission: Permission;
  /** "Your role does not allow you to <action>." */
  action: string;
  db?: Db;
}

async function checkRole(options: AuthorizeOptions, accountId: string, notFound: string): Promise<Role> {
  const role = await getAccountRole({
    actor: options.actor,
    accountId,
    ...(options.db ? { db: options.db } : {}),
  });
  if (!role) throw new AppError("NOT_FOUND", notFound);
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return role;
}

export const DATABASE_NOT_FOUND = "Database not found.";
export const DATABASE_USER_NOT_FOUND = "Database user not found.";

export async function authorizeDatabase(
  options: AuthorizeOptions & { databaseId: string },
): Promise<{ databaseId: string; accountId: string; role: Role }> {
  const db = options.db ?? prisma;
  const row = await db.database.findFirst({
    where: { id: options.databaseId, account: await reachableAccountWhere(options.actor, db) },
    select: { id: true, accountId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", DATABASE_NOT_FOUND);
  const role = await checkRole(options, row.accountId, DATABASE_NOT_FOUND);
  return { databaseId: row.id, accountId: row.accountId, role };
}

export async function authorizeDatabaseUser(
  options: AuthorizeOptions & { databaseUserId: string },
): Promise<{ databaseUserId: string; accountId: string; role: Role }> {
  const db = options.db ?? prisma;
  const row = await db.databaseUser.findFirst({
    where: { id: options.databaseUserId, account: await reachableAccountWhere(options.actor, db) },
    select: { id: true, accountId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", DATABASE_USER_NOT_FOUND);
  const role = await checkRole(options, row.accountId, DATABASE_USER_NOT_FOUND);
  return { databaseUserId: row.id, accountId: row.accountId, role };
}
