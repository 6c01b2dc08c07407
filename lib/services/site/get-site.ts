import { canViewSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

/** One site the actor reaches; NOT_FOUND for unknown and foreign ids alike. */
export async function getSite(options: { actor: Actor; siteId: string }): Promise<SiteView> {
  const { siteId, accountId } = await authorizeSite({
    actor: options.actor,
    siteId: options.siteId,
    permission: canViewSite,
    action: "view this site",
  });
  const site = await prisma.site.findFirst({ where: { id: siteId, accountId }, include: siteViewInclude });
  // Deleted by the reconciler between the two reads.
  if (!site) throw new AppError("NOT_FOUND", "Site not found.");
  return toSiteView(site);
}
