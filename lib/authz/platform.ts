/**
 * The platform operator: whoever holds a role on the root account of kind PLATFORM. Some actions
 * concern users rather than accounts (resetting a user's two-factor sign-in), and only the
 * operator may take them.
 */
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type Permission, strongestRole } from "./permissions";
import type { Db } from "./scope";

/**
 * The platform account and the caller's role on it. Callers without a role on the platform get
 * NOT_FOUND with `notFound` (they name an object they may not know exists); a weak role gets
 * FORBIDDEN.
 */
export async function authorizePlatformOperator(options: {
  userId: string;
  permission: Permission;
  action: string;
  notFound: string;
  db?: Db;
}): Promise<{ platformAccountId: string }> {
  const db = options.db ?? prisma;
  const memberships = await db.membership.findMany({
    where: { userId: options.userId, account: { kind: "PLATFORM", parentId: null } },
    select: { role: true, accountId: true },
  });
  const role = strongestRole(memberships.map((m) => m.role));
  const seat = memberships.find((m) => m.role === role);
  if (!role || !seat) throw new AppError("NOT_FOUND", options.notFound);
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { platformAccountId: seat.accountId };
}
