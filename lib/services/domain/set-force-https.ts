import { canManageDomains } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { loadSiteDomains, type SiteDomainsView } from "@/lib/services/domain/domain-view";
import { bumpSiteForDomains } from "@/lib/services/domain/domain-write";
import { siteRoutingSchema } from "@/lib/validation/domain";

/**
 * Turns "force HTTPS" on or off for the site's own domains. Allowed whatever the platform's TLS:
 * the choice is the site owner's and takes effect where certificates exist; the Domains card and
 * the site's conditions say when it cannot.
 */
export async function setForceHttps(options: {
  actor: Actor;
  siteId: string;
  input: unknown;
}): Promise<SiteDomainsView> {
  const { actor } = options;
  const { siteId, accountId, role } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDomains,
    action: "change this site's domains",
  });
  const parsed = siteRoutingSchema.safeParse(options.input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  const { forceHttps } = parsed.data;
  const view = await prisma.$transaction(async (tx) => {
    const site = await tx.site.findFirst({ where: { id: siteId, accountId }, select: { forceHttps: true } });
    if (!site) throw new AppError("NOT_FOUND", "Site not found.");
    if (site.forceHttps !== forceHttps) {
      await bumpSiteForDomains(tx, {
        siteId,
        accountId,
        actor,
        data: { forceHttps },
        summary: forceHttps ? "Turned on force HTTPS" : "Turned off force HTTPS",
      });
      await tx.site.update({ where: { id: siteId }, data: { forceHttps } });
    }
    return loadSiteDomains(tx, { siteId, accountId, role });
  });
  log.info("force https set", {
    event: "site.force_https",
    siteId,
    accountId,
    forceHttps,
    userId: actor.userId,
  });
  return view;
}
