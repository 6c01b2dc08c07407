import { canManageDatabases } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizeDatabase } from "./authorize-database";
import { type DatabaseView, databaseViewInclude, toDatabaseView } from "./database-view";

const NO_GRANT = "This user has no access to this database.";

/**
 * Takes a user's access to a database away: the grant is marked, the database's reconcile pass
 * revokes it on the server and deletes the row. Revoking twice changes nothing the second time.
 */
export async function revokeDatabaseAccess(options: {
  actor: Actor;
  databaseId: string;
  databaseUserId: string;
}): Promise<DatabaseView> {
  const { actor } = options;
  const { databaseId, accountId } = await authorizeDatabase({
    actor,
    databaseId: options.databaseId,
    permission: canManageDatabases,
    action: "revoke access to databases",
  });
  const row = await prisma.$transaction(async (tx) => {
    // Scoped through the database's account: a foreign user id finds no grant.
    const grant = await tx.databaseGrant.findFirst({
      where: { databaseId, userId: options.databaseUserId, database: { accountId }, user: { accountId } },
      include: { user: { select: { name: true } }, database: { select: { name: true } } },
    });
    if (!grant) throw new AppError("NOT_FOUND", NO_GRANT);
    // A site using these credentials would lose access to its database.
    const attached = await tx.siteDatabaseAttachment.findFirst({
      where: { databaseId, userId: options.databaseUserId },
      select: { site: { select: { name: true } } },
    });
    if (attached) {
      throw new AppError(
        "CONFLICT",
        `${attached.site.name} uses ${grant.user.name} for ${grant.database.name}: detach it from the site first.`,
      );
    }
    const marked = await tx.databaseGrant.updateMany({
      where: { id: grant.id, revokeRequestedAt: null },
      data: { revokeRequestedAt: new Date() },
    });
    if (marked.count === 1) {
      await appendChange(tx, {
        kind: "DatabaseGrant",
        objectId: grant.id,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { databaseId, userId: options.databaseUserId, revoked: true },
        summary: `Took access to ${grant.database.name} away from database user ${grant.user.name}`,
      });
    }
    return tx.database.findFirstOrThrow({
      where: { id: databaseId, accountId },
      include: databaseViewInclude,
    });
  });
  log.info("database access revoked", {
    event: "database.revoked",
    databaseId,
    databaseUserId: options.databaseUserId,
    accountId,
    userId: actor.userId,
  });
  return toDatabaseView(row);
}
