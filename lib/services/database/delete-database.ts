import { canManageDatabases } from "@/lib/authz/permissions";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { confirmDeletionSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { authorizeDatabase, DATABASE_NOT_FOUND } from "./authorize-database";
import { type DatabaseView, databaseViewInclude, toDatabaseView } from "./database-view";

/**
 * Requests the deletion of a database, confirmed by typing its full name: marks it in one
 * transaction with an UPDATED change; the reconciler drops it on the server, then deletes the row.
 * A database given to a site is refused until the site lets go of it. Deleting a database already
 * being deleted changes nothing.
 */
export async function deleteDatabase(options: {
  actor: Actor;
  databaseId: string;
  input: unknown;
}): Promise<DatabaseView> {
  const { actor } = options;
  const { databaseId, accountId } = await authorizeDatabase({
    actor,
    databaseId: options.databaseId,
    permission: canManageDatabases,
    action: "delete databases",
  });
  const input = parseInput(confirmDeletionSchema, options.input);
  const row = await prisma.$transaction(async (tx) => {
    const current = await tx.database.findFirst({
      where: { id: databaseId, accountId },
      include: { attachments: { select: { site: { select: { name: true } } } } },
    });
    if (!current) throw new AppError("NOT_FOUND", DATABASE_NOT_FOUND);
    if (input.confirm !== current.name) {
      const message = `Type ${current.name} to confirm the deletion.`;
      throw new AppError("INVALID_INPUT", message, { confirm: message });
    }
    if (current.attachments.length > 0) {
      const sites = current.attachments.map((a) => a.site.name).join(", ");
      throw new AppError(
        "CONFLICT",
        `${current.name} is given to ${sites}: detach it from the site first, or the site would lose its database.`,
      );
    }
    const marked = await tx.database.updateMany({
      where: { id: databaseId, accountId, deletionRequestedAt: null },
      data: { deletionRequestedAt: new Date(), generation: { increment: 1 } },
    });
    if (marked.count === 1) {
      await appendChange(tx, {
        kind: "Database",
        objectId: databaseId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { name: current.name, deletionRequested: true },
        summary: `Deleted database ${current.name}`,
      });
    }
    return tx.database.findFirstOrThrow({
      where: { id: databaseId, accountId },
      include: databaseViewInclude,
    });
  });
  log.info("database deletion requested", {
    event: "database.delete_requested",
    databaseId,
    accountId,
    userId: actor.userId,
  });
  return toDatabaseView(row);
}
