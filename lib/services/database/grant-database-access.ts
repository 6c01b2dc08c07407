import { canManageDatabases } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { grantSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { authorizeDatabase, DATABASE_NOT_FOUND, DATABASE_USER_NOT_FOUND } from "./authorize-database";
import { type DatabaseView, databaseViewInclude, toDatabaseView } from "./database-view";

/**
 * Grants one of the account's users ALL privileges on one of its databases (that database only);
 * the database's next reconcile pass applies it on the server. The user must live on the same
 * server; a user of another account is NOT_FOUND, as if it did not exist.
 */
export async function grantDatabaseAccess(options: {
  actor: Actor;
  databaseId: string;
  input: unknown;
}): Promise<DatabaseView> {
  const { actor } = options;
  const { databaseId, accountId } = await authorizeDatabase({
    actor,
    databaseId: options.databaseId,
    permission: canManageDatabases,
    action: "grant access to databases",
  });
  const input = parseInput(grantSchema, options.input);
  const row = await prisma.$transaction(async (tx) => {
    const database = await tx.database.findFirst({ where: { id: databaseId, accountId } });
    if (!database) throw new AppError("NOT_FOUND", DATABASE_NOT_FOUND);
    const user = await tx.databaseUser.findFirst({ where: { id: input.userId, accountId } });
    if (!user) throw new AppError("NOT_FOUND", DATABASE_USER_NOT_FOUND, { userId: DATABASE_USER_NOT_FOUND });
    if (database.deletionRequestedAt || user.deletionRequestedAt) {
      throw new AppError(
        "CONFLICT",
        `${database.deletionRequestedAt ? database.name : user.name} is being deleted.`,
      );
    }
    if (user.serverId !== database.serverId) {
      const message = `${user.name} is on another server than ${database.name}: a user can only be given databases on its own server.`;
      throw new AppError("INVALID_INPUT", message, { userId: message });
    }
    const existing = await tx.databaseGrant.findUnique({
      where: { databaseId_userId: { databaseId, userId: user.id } },
    });
    if (existing && existing.revokeRequestedAt === null) {
      const message = `${user.name} already has access to ${database.name}.`;
      throw new AppError("CONFLICT", message, { userId: message });
    }
    const grant = existing
      ? await tx.databaseGrant.update({
          where: { id: existing.id },
          data: { revokeRequestedAt: null, appliedAt: null },
        })
      : await tx.databaseGrant.create({ data: { databaseId, userId: user.id } });
    await appendChange(tx, {
      kind: "DatabaseGrant",
      objectId: grant.id,
      accountId,
      action: "CREATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { databaseId, userId: user.id },
      summary: `Gave database user ${user.name} access to ${database.name}`,
    });
    return tx.database.findFirstOrThrow({
      where: { id: databaseId, accountId },
      include: databaseViewInclude,
    });
  });
  log.info("database access granted", {
    event: "database.granted",
    databaseId,
    databaseUserId: input.userId,
    accountId,
    userId: actor.userId,
  });
  return toDatabaseView(row);
}
