import { canManageDatabases } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { attachDatabaseSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { DATABASE_NOT_FOUND, DATABASE_USER_NOT_FOUND } from "./authorize-database";

export interface SiteDatabaseAttachmentView {
  id: string;
  siteId: string;
  databaseId: string;
  databaseName: string;
  userId: string;
  userName: string;
  envPrefix: string;
}

/**
 * Gives a site a database's credentials: `<envPrefix>DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER` and
 * `DB_PASSWORD` in its environment (the site's pods roll to pick them up). The database and the
 * user must be the site's account's, and the user must have access to the database.
 */
export async function attachDatabaseToSite(options: {
  actor: Actor;
  siteId: string;
  input: unknown;
}): Promise<SiteDatabaseAttachmentView> {
  const { actor } = options;
  const { siteId, accountId } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDatabases,
    action: "give databases to sites",
  });
  const input = parseInput(attachDatabaseSchema, options.input);
  const view = await prisma.$transaction(async (tx) => {
    const site = await tx.site.findFirst({
      where: { id: siteId, accountId },
      select: { name: true, deletionRequestedAt: true },
    });
    if (!site) throw new AppError("NOT_FOUND", "Site not found.");
    if (site.deletionRequestedAt) throw new AppError("CONFLICT", `${site.name} is being deleted.`);
    const database = await tx.database.findFirst({ where: { id: input.databaseId, accountId } });
    if (!database) throw new AppError("NOT_FOUND", DATABASE_NOT_FOUND, { databaseId: DATABASE_NOT_FOUND });
    const user = await tx.databaseUser.findFirst({ where: { id: input.userId, accountId } });
    if (!user) throw new AppError("NOT_FOUND", DATABASE_USER_NOT_FOUND, { userId: DATABASE_USER_NOT_FOUND });
    if (database.deletionRequestedAt || user.deletionRequestedAt) {
      throw new AppError(
        "CONFLICT",
        `${database.deletionRequestedAt ? database.name : user.name} is being deleted.`,
      );
    }
    const grant = await tx.databaseGrant.findUnique({
      where: { databaseId_userId: { databaseId: database.id, userId: user.id } },
    });
    if (!grant || grant.revokeRequestedAt) {
      const message = `${user.name} has no access to ${database.name}: give it access first.`;
      throw new AppError("INVALID_INPUT", message, { userId: message });
    }
    const taken = await tx.siteDatabaseAttachment.findUnique({
      where: { siteId_envPrefix: { siteId, envPrefix: input.envPrefix } },
      select: { id: true },
    });
    if (taken) {
      const message = input.envPrefix
        ? `${site.name} already has a database under the prefix ${input.envPrefix}: choose another prefix.`
        : `${site.name} already has a database without a prefix: choose a prefix (e.g. SHOP_).`;
      throw new AppError("CONFLICT", message, { envPrefix: message });
    }
    const created = await tx.siteDatabaseAttachment.create({
      data: { siteId, databaseId: database.id, userId: user.id, envPrefix: input.envPrefix },
    });
    // A spec change: the site's Secret gets the variables and its pods roll.
    await tx.site.update({ where: { id: siteId }, data: { generation: { increment: 1 } } });
    await appendChange(tx, {
      kind: "Site",
      objectId: siteId,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { databaseAttached: database.name, databaseUser: user.name, envPrefix: input.envPrefix },
      summary: `Gave site ${site.name} the credentials of database ${database.name} (user ${user.name})`,
    });
    return {
      id: created.id,
      siteId,
      databaseId: database.id,
      databaseName: database.name,
      userId: user.id,
      userName: user.name,
      envPrefix: created.envPrefix,
    };
  });
  log.info("database attached to site", {
    event: "site.database_attached",
    siteId,
    databaseId: view.databaseId,
    userId: actor.userId,
  });
  return view;
}
