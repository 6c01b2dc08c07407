import { canDeleteSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

/**
 * Requests the deletion of a site: marks it DELETING and bumps its generation in one transaction
 * with an UPDATED change. The reconciler removes its Kubernetes objects, then its rows.
 * Deleting a site already being deleted changes nothing.
 */
export async function deleteSite(options: { actor: Actor; siteId: string }): Promise<SiteView> {
  const { actor } = options;
  const { siteId, accountId } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canDeleteSite,
    action: "delete sites",
  });

  const site = await prisma.$transaction(async (tx) => {
    // The deletionRequestedAt guard makes concurrent deletes record one change, not two.
    const marked = await tx.site.updateMany({
      where: { id: siteId, accountId, deletionRequestedAt: null },
      data: { deletionRequestedAt: new Date(), phase: "DELETING", generation: { increment: 1 } },
    });
    if (marked.count === 1) {
      await appendChange(tx, {
        kind: "Site",
        objectId: siteId,
        accountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: { deletionRequested: true },
      });
    }
    return tx.site.findFirst({ where: { id: siteId, accountId }, include: siteViewInclude });
  });
  if (!site) throw new AppError("NOT_FOUND", "Site not found.");
  log.info("site deletion requested", {
    event: "site.delete_requested",
    siteId,
    accountId,
    userId: actor.userId,
  });
  return toSiteView(site);
}
