import { canManageDatabases } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizeDatabaseUser, DATABASE_USER_NOT_FOUND } from "./authorize-database";
import { type DatabaseUserView, databaseUserViewInclude, toDatabaseUserView } from "./database-view";

/**
 * Requests the deletion of a database user: the reconciler drops it on the server (its grants go
 * with it; what it created stays, handed to the admin), then deletes the row. A user given to a
 * site is refused until the site lets go of it.
 */
export async function deleteDatabaseUser(options: {
  actor: Actor;
  databaseUserId: string;
}): Promise<DatabaseUserView> {
  const { actor } = options;
  const { databaseUserId, accountId } = await authorizeDatabaseUser({
    actor,
    databaseUserId: options.databaseUserId,
    permission: canManageDatabases,
    action: "delete database users",
  });
  const row = await prisma.$transaction(async (tx) => {
    const current = await tx.databaseUser.findFirst({
      where: { id: databaseUserId, accountId },
      include: { attachments: { select: { site: { select: { name: true } } } } },
    });
    if (!current) throw new AppError("NOT_FOUND", DATABASE_USER_NOT_FOUND);
    if (current.attachments.length > 0) {
      const sites = current.attachments.map((a) => a.site.name).join(", ");
      throw new AppError(
        "CONFLICT",
        `${current.name} is given to ${sites}: detach it from the site first, or the site would lose its database access.`,
      );
    }
    const marked = await tx.databaseUser.updateMany({
      where: { id: databaseUserId, accountId, deletionRequestedAt: null },
      data: { deletionRequestedAt: new Date(), generation: { increment: 1 } },
    });
    if (marked.count === 1) {
      await appendChange(tx, {
        kind: "DatabaseUser",
        objectId: databaseUserId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { name: current.name, deletionRequested: true },
        summary: `Deleted database user ${current.name}`,
      });
    }
    return tx.databaseUser.findFirstOrThrow({
      where: { id: databaseUserId, accountId },
      include: databaseUserViewInclude,
    });
  });
  log.info("database user deletion requested", {
    event: "database_user.delete_requested",
    databaseUserId,
    accountId,
    userId: actor.userId,
  });
  return toDatabaseUserView(row);
}
