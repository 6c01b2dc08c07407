import { canManageDatabases } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizeDatabaseUser } from "./authorize-database";
import { generateDatabasePassword, sealDatabasePassword } from "./database-secrets";
import { type DatabaseUserWithPassword, databaseUserViewInclude, toDatabaseUserView } from "./database-view";

const BEING_DELETED = "This database user is being deleted: its password can no longer be reset.";

/**
 * Gives a database user a new generated password, returned here once; the reconciler sets it on
 * the server and in the environment of the sites given the user. The write is guarded on the user
 * not being deleted, so a reset racing a deletion is refused with CONFLICT and changes nothing.
 */
export async function resetDatabaseUserPassword(options: {
  actor: Actor;
  databaseUserId: string;
}): Promise<DatabaseUserWithPassword> {
  const { actor } = options;
  const { databaseUserId, accountId } = await authorizeDatabaseUser({
    actor,
    databaseUserId: options.databaseUserId,
    permission: canManageDatabases,
    action: "reset database passwords",
  });
  const password = generateDatabasePassword();
  const row = await prisma.$transaction(async (tx) => {
    const changed = await tx.databaseUser.updateMany({
      where: { id: databaseUserId, accountId, deletionRequestedAt: null },
      data: { passwordCiphertext: sealDatabasePassword(password), generation: { increment: 1 } },
    });
    if (changed.count === 0) throw new AppError("CONFLICT", BEING_DELETED);
    const updated = await tx.databaseUser.findFirstOrThrow({
      where: { id: databaseUserId, accountId },
      include: databaseUserViewInclude,
    });
    await appendChange(tx, {
      kind: "DatabaseUser",
      objectId: databaseUserId,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { name: updated.name, passwordReset: true },
      summary: `Reset the password of database user ${updated.name}`,
    });
    return updated;
  });
  log.info("database user password reset", {
    event: "database_user.password_reset",
    databaseUserId,
    accountId,
    userId: actor.userId,
  });
  return { user: toDatabaseUserView(row), password };
}
