/**
 * Authority over an account's contract (its plan, suspension, termination) belongs to its
 * provider: whoever holds a role on one of its ancestors. A role on the account itself is not
 * enough: a customer's owner must not upgrade, unsuspend or terminate their own account.
 */
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Account, Role } from "@/lib/generated/prisma/client";
import type { Permission } from "./permissions";
import { type AuthzSubject, type Db, getRoleAbove, reachableAccountWhere } from "./scope";

export interface AuthorizeProviderOptions {
  actor: AuthzSubject;
  accountId: string;
  permission: Permission;
  /** Used in FORBIDDEN messages: "... does not allow you to <action>." */
  action: string;
  db?: Db;
}

/**
 * The account and the caller's role on its ancestors. NOT_FOUND when the caller cannot reach the
 * account at all; FORBIDDEN when they reach it only through a membership on the account itself,
 * or their role above it is too weak.
 */
export async function authorizeProvider(
  options: AuthorizeProviderOptions,
): Promise<{ account: Account; role: Role }> {
  const db = options.db ?? prisma;
  const account = await db.account.findFirst({
    where: { AND: [{ id: options.accountId }, await reachableAccountWhere(options.actor, db)] },
  });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  // With an API token, only a token granted on an ancestor carries the provider's authority.
  const role = await getRoleAbove({ actor: options.actor, accountPath: account.path, db });
  if (!role) {
    throw new AppError(
      "FORBIDDEN",
      `Only the provider of ${account.name} can ${options.action}. Contact your provider.`,
    );
  }
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { account, role };
}
