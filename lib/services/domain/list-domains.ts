import { canViewSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { loadSiteDomains, type SiteDomainsView } from "@/lib/services/domain/domain-view";

/** The site's domains with their TLS status, its force-HTTPS choice and the account's domain usage. */
export async function listDomains(options: { actor: Actor; siteId: string }): Promise<SiteDomainsView> {
  const site = await authorizeSite({
    actor: options.actor,
    siteId: options.siteId,
    permission: canViewSite,
    action: "view this site",
  });
  return loadSiteDomains(prisma, site);
}
