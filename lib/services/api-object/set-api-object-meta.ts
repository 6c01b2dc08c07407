import {
  canManageChildAccounts,
  canManageCronJobs,
  canManageDatabases,
  canManageDomains,
  canUpdateSite,
} from "@/lib/authz/permissions";
import { authorizeAccount, authorizeSite, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import {
  type ApiObjectKind,
  EMPTY_OBJECT_META,
  readApiObjectMeta,
  type StoredObjectMeta,
  sameObjectMeta,
  toStoredJson,
} from "@/lib/services/api-object/api-object-meta";
import { appendChange } from "@/lib/services/change-log/append-change";
import { authorizeCronJob } from "@/lib/services/cron-job/authorize-cron-job";
import { authorizeDatabase, authorizeDatabaseUser } from "@/lib/services/database/authorize-database";

interface Target {
  accountId: string;
  /** The change-log row that versions the object ("Site" rows version a site's domains too). */
  changeKind: string;
  changeObjectId: string;
  /** Named in the audit log. */
  describe: string;
  data: Record<string, string>;
}

/** The object, authorized as a change to it (NOT_FOUND when unreachable, FORBIDDEN for weak roles). */
async function authorizeTarget(actor: Actor, kind: ApiObjectKind, objectId: string): Promise<Target> {
  switch (kind) {
    case "Site": {
      const { accountId } = await authorizeSite({
        actor,
        siteId: objectId,
        permission: canUpdateSite,
        action: "change sites",
      });
      const site = await prisma.site.findUniqueOrThrow({ where: { id: objectId }, select: { name: true } });
      return {
        accountId,
        changeKind: "Site",
        changeObjectId: objectId,
        describe: `site ${site.name}`,
        data: { name: site.name },
      };
    }
    case "Domain": {
      const domain = await prisma.domain.findFirst({
        where: { id: objectId, site: { account: await reachableAccountWhere(actor) } },
        select: { hostname: true, siteId: true, site: { select: { name: true } } },
      });
      if (!domain) throw new AppError("NOT_FOUND", "Domain not found.");
      const { accountId } = await authorizeSite({
        actor,
        siteId: domain.siteId,
        permission: canManageDomains,
        action: "change this site's domains",
      });
      return {
        accountId,
        changeKind: "Site",
        changeObjectId: domain.siteId,
        describe: `domain ${domain.hostname} of site ${domain.site.name}`,
        data: { name: domain.site.name, domain: domain.hostname },
      };
    }
    case "CronJob": {
      const { accountId, siteId } = await authorizeCronJob({
        actor,
        cronJobId: objectId,
        permission: canManageCronJobs,
        action: "manage cron jobs",
      });
      const row = await prisma.cronJob.findUniqueOrThrow({ where: { id: objectId }, select: { name: true } });
      return {
        accountId,
        changeKind: "CronJob",
        changeObjectId: objectId,
        describe: `cron job ${row.name}`,
        data: { siteId, name: row.name },
      };
    }
    case "Database": {
      const { accountId } = await authorizeDatabase({
        actor,
        databaseId: objectId,
        permission: canManageDatabases,
        action: "change databases",
      });
      const row = await prisma.database.findUniqueOrThrow({
        where: { id: objectId },
        select: { name: true },
      });
      return {
        accountId,
        changeKind: "Database",
        changeObjectId: objectId,
        describe: `database ${row.name}`,
        data: { name: row.name },
      };
    }
    case "DatabaseUser": {
      const { accountId } = await authorizeDatabaseUser({
        actor,
        databaseUserId: objectId,
        permission: canManageDatabases,
        action: "change database users",
      });
      const row = await prisma.databaseUser.findUniqueOrThrow({
        where: { id: objectId },
        select: { name: true },
      });
      return {
        accountId,
        changeKind: "DatabaseUser",
        changeObjectId: objectId,
        describe: `database user ${row.name}`,
        data: { name: row.name },
      };
    }
    case "Account": {
      await authorizeAccount({
        actor,
        accountId: objectId,
        permission: canManageChildAccounts,
        action: "change this account's labels and annotations",
      });
      const row = await prisma.account.findUniqueOrThrow({ where: { id: objectId }, select: { name: true } });
      return {
        accountId: objectId,
        changeKind: "Account",
        changeObjectId: objectId,
        describe: `account ${row.name}`,
        data: { name: row.name },
      };
    }
  }
}

/**
 * Stores an object's labels, annotations and managed fields as the Kubernetes-style API received
 * them, authorized as a change to the object itself. `recordChange`: also append the UPDATED
 * change-log row that gives the object a new resourceVersion. The API asks for it when the
 * metadata is all that changed; when a service changed the object in the same unit of work, that
 * service's row already does. Returns whether anything changed (storing the same writes nothing).
 */
export async function setApiObjectMeta(options: {
  actor: Actor;
  kind: ApiObjectKind;
  objectId: string;
  meta: StoredObjectMeta;
  recordChange: boolean;
}): Promise<{ changed: boolean }> {
  const { actor, kind, objectId, meta } = options;
  const target = await authorizeTarget(actor, kind, objectId);
  return prisma.$transaction(async (tx) => {
    const current =
      (await readApiObjectMeta({ kind, objectIds: [objectId], db: tx })).get(objectId) ?? EMPTY_OBJECT_META;
    if (sameObjectMeta(current, meta)) return { changed: false };
    const parts = [
      JSON.stringify(current.labels) !== JSON.stringify(meta.labels) ? "labels" : null,
      JSON.stringify(current.annotations) !== JSON.stringify(meta.annotations) ? "annotations" : null,
    ].filter((p): p is string => p !== null);
    await tx.apiObjectMeta.upsert({
      where: { kind_objectId: { kind, objectId } },
      create: { kind, objectId, ...toStoredJson(meta) },
      update: toStoredJson(meta),
    });
    if (options.recordChange) {
      await appendChange(tx, {
        kind: target.changeKind,
        objectId: target.changeObjectId,
        accountId: target.accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { ...target.data, metadata: parts.length > 0 ? parts : ["managedFields"] },
        summary: `Changed the ${parts.length > 0 ? parts.join(" and ") : "field managers"} of ${target.describe}`,
      });
    }
    return { changed: true };
  });
}
