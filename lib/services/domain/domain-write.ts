import type { Db } from "@/lib/authz/scope";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { domainNotAvailable } from "@/lib/services/site/assert-domain-available";

export const SITE_BEING_DELETED_MESSAGE = "This site is being deleted; its domains can no longer change.";

/**
 * Bumps the site's generation (the reconciler renders its routes again) and appends the Site
 * UPDATED change that wakes it, inside the caller's transaction. Called FIRST in every domain
 * write: the row lock it takes serialises writes to one site's domains (two "make primary" at once
 * leave exactly one primary). A site whose deletion was requested is refused.
 */
export async function bumpSiteForDomains(
  tx: Prisma.TransactionClient,
  options: { siteId: string; accountId: string; actor: Actor; data: Prisma.InputJsonObject; summary: string },
): Promise<void> {
  const bumped = await tx.site.updateMany({
    where: { id: options.siteId, accountId: options.accountId, deletionRequestedAt: null },
    data: { generation: { increment: 1 } },
  });
  if (bumped.count === 0) throw new AppError("CONFLICT", SITE_BEING_DELETED_MESSAGE);
  const site = await tx.site.findUniqueOrThrow({ where: { id: options.siteId }, select: { name: true } });
  await appendChange(tx, {
    kind: "Site",
    objectId: options.siteId,
    accountId: options.accountId,
    action: "UPDATED",
    actorUserId: options.actor.userId,
    actorIp: options.actor.ip ?? null,
    data: { name: site.name, ...options.data },
    summary: `${options.summary} on site ${site.name}`,
  });
}

/** One of the site's domains, looked up with the site (and so the account) in the `where` clause. */
export async function findSiteDomain(db: Db, options: { siteId: string; domainId: string }) {
  const domain = await db.domain.findFirst({ where: { id: options.domainId, siteId: options.siteId } });
  if (!domain) throw new AppError("NOT_FOUND", "Domain not found.");
  return domain;
}

/** A unique-index violation on Domain.hostname (two claims racing) as the same neutral refusal. */
export function hostnameRaceToConflict(err: unknown): AppError | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError) || err.code !== "P2002") return null;
  const detail = `${err.message} ${JSON.stringify(err.meta ?? {})}`;
  return detail.includes("hostname") ? domainNotAvailable() : null;
}
