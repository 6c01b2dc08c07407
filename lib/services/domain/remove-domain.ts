import { canManageDomains } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { loadSiteDomains, type SiteDomainsView } from "@/lib/services/domain/domain-view";
import { bumpSiteForDomains, findSiteDomain } from "@/lib/services/domain/domain-write";

export const LAST_DOMAIN_MESSAGE =
  "A site keeps at least one domain: add another domain before removing this one.";
export const PRIMARY_DOMAIN_MESSAGE =
  "This is the site's primary domain: make another domain primary before removing it.";

/**
 * Removes a non-primary domain from a site (the reconciler stops routing it). The primary, and so
 * the last domain, cannot be removed. Bumps the site's generation with a Site UPDATED change.
 */
export async function removeDomain(options: {
  actor: Actor;
  siteId: string;
  domainId: string;
}): Promise<SiteDomainsView> {
  const { actor } = options;
  const { siteId, accountId, role } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDomains,
    action: "change this site's domains",
  });
  const view = await prisma.$transaction(async (tx) => {
    const found = await findSiteDomain(tx, { siteId, domainId: options.domainId });
    await bumpSiteForDomains(tx, {
      siteId,
      accountId,
      actor,
      data: { domainsRemoved: [found.hostname] },
      summary: `Removed domain ${found.hostname}`,
    });
    // Checked under the site's row lock: a concurrent "make primary" or removal has finished.
    const domain = await findSiteDomain(tx, { siteId, domainId: options.domainId });
    if ((await tx.domain.count({ where: { siteId } })) <= 1)
      throw new AppError("CONFLICT", LAST_DOMAIN_MESSAGE);
    if (domain.isPrimary) throw new AppError("CONFLICT", PRIMARY_DOMAIN_MESSAGE);
    await tx.domain.delete({ where: { id: domain.id } });
    return loadSiteDomains(tx, { siteId, accountId, role });
  });
  log.info("domain removed", {
    event: "domain.removed",
    siteId,
    accountId,
    domainId: options.domainId,
    userId: actor.userId,
  });
  return view;
}
