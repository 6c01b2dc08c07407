import { canManageDatabases } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";

const NOT_ATTACHED = "This database is not given to this site.";

/** Takes a database's credentials out of a site's environment (the database itself stays). */
export async function detachDatabaseFromSite(options: {
  actor: Actor;
  siteId: string;
  attachmentId: string;
}): Promise<void> {
  const { actor } = options;
  const { siteId, accountId } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDatabases,
    action: "give databases to sites",
  });
  await prisma.$transaction(async (tx) => {
    const attachment = await tx.siteDatabaseAttachment.findFirst({
      where: { id: options.attachmentId, siteId, site: { accountId } },
      include: { database: { select: { name: true } }, site: { select: { name: true } } },
    });
    if (!attachment) throw new AppError("NOT_FOUND", NOT_ATTACHED);
    await tx.siteDatabaseAttachment.delete({ where: { id: attachment.id } });
    await tx.site.update({ where: { id: siteId }, data: { generation: { increment: 1 } } });
    await appendChange(tx, {
      kind: "Site",
      objectId: siteId,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { databaseDetached: attachment.database.name, envPrefix: attachment.envPrefix },
      summary: `Took the credentials of database ${attachment.database.name} out of site ${attachment.site.name}`,
    });
  });
  log.info("database detached from site", { event: "site.database_detached", siteId, userId: actor.userId });
}
