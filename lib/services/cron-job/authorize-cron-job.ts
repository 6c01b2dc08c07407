import type { Permission } from "@/lib/authz/permissions";
import { type AuthzSubject, type Db, getAccountRole, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";

const NOT_FOUND_MESSAGE = "Cron job not found.";

/**
 * The cron job's ids with the caller's role, looked up with the reachable accounts in the `where`
 * clause (as authorizeSite does): a foreign id is NOT_FOUND, a reachable one with a weak role
 * FORBIDDEN.
 */
export async function authorizeCronJob(options: {
  actor: AuthzSubject;
  cronJobId: string;
  permission: Permission;
  action: string;
  db?: Db;
}): Promise<{ cronJobId: string; siteId: string; accountId: string }> {
  const db = options.db ?? prisma;
  const row = await db.cronJob.findFirst({
    where: { id: options.cronJobId, account: await reachableAccountWhere(options.actor, db) },
    select: { id: true, siteId: true, accountId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const role = await getAccountRole({ actor: options.actor, accountId: row.accountId, db });
  if (!role) throw new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { cronJobId: row.id, siteId: row.siteId, accountId: row.accountId };
}

export function cronJobNotFound(): AppError {
  return new AppError("NOT_FOUND", NOT_FOUND_MESSAGE);
}
