/**
 * The platform operator: whoever holds a role on the root account of kind PLATFORM. Some actions
 * concern users rather than accounts (resetting a user's two-factor sign-in), and only the
 * operator may take them.
 */
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { type Permission, strongestRole } from "./permissions";
import { type AuthzSubject, type Db, narrowToToken } from "./scope";

/**
 * The platform account and the caller's role on it. Callers without a role on the platform get
 * NOT_FOUND with `notFound` (they name an object they may not know exists); a weak role gets
 * FORBIDDEN. A support session is never the operator: whoever it acts as, it gets NOT_FOUND.
 */
export async function authorizePlatformOperator(options: {
  actor: AuthzSubject;
  permission: Permission;
  action: string;
  notFound: string;
  db?: Db;
}): Promise<{ platformAccountId: string; role: Role }> {
  // Users who hold a platform role cannot be signed in as; this holds even if one gains it later.
  if (options.actor.impersonation) throw new AppError("NOT_FOUND", options.notFound);
  const db = options.db ?? prisma;
  // The platform operator is a person with a seat on the platform account; a Kubernetes user
  // through the cluster never is (its grant covers accounts, not the operator's own tasks).
  if (options.actor.cluster) throw new AppError("NOT_FOUND", options.notFound);
  const memberships = await db.membership.findMany({
    where: { userId: options.actor.userId, account: { kind: "PLATFORM", parentId: null } },
    select: { role: true, accountId: true, account: { select: { path: true } } },
  });
  // With an API token, only a token granted on the platform account itself acts as its operator.
  const seats = memberships.flatMap((m) =>
    narrowToToken([{ role: m.role, path: m.account.path }], options.actor.token)
      .filter((root) => root.path === m.account.path)
      .map((root) => ({ role: root.role, accountId: m.accountId })),
  );
  const role = strongestRole(seats.map((m) => m.role));
  const seat = seats.find((m) => m.role === role);
  if (!role || !seat) throw new AppError("NOT_FOUND", options.notFound);
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { platformAccountId: seat.accountId, role };
}
