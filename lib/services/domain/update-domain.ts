import { canManageDomains } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { loadSiteDomains, type SiteDomainsView } from "@/lib/services/domain/domain-view";
import { bumpSiteForDomains, findSiteDomain } from "@/lib/services/domain/domain-write";
import { updateDomainSchema } from "@/lib/validation/domain";

export const PRIMARY_IS_SERVED_MESSAGE =
  "The primary domain serves the site; make another domain primary before redirecting this one.";

/**
 * Makes a domain the site's primary (the previous primary becomes an alias), or switches a
 * non-primary domain between "redirect to primary" (301) and "serve as alias". Bumps the site's
 * generation with a Site UPDATED change in the same transaction.
 */
export async function updateDomain(options: {
  actor: Actor;
  siteId: string;
  domainId: string;
  input: unknown;
}): Promise<SiteDomainsView> {
  const { actor } = options;
  const { siteId, accountId, role } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDomains,
    action: "change this site's domains",
  });
  const parsed = updateDomainSchema.safeParse(options.input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  const input = parsed.data;
  if (input.isPrimary && input.redirectToPrimary) {
    throw new AppError("INVALID_INPUT", PRIMARY_IS_SERVED_MESSAGE, {
      redirectToPrimary: PRIMARY_IS_SERVED_MESSAGE,
    });
  }

  const view = await prisma.$transaction(async (tx) => {
    // Found before the bump, so that a foreign or unknown id writes nothing; read again after it.
    const found = await findSiteDomain(tx, { siteId, domainId: options.domainId });
    const changes: string[] = [];
    if (input.isPrimary && !found.isPrimary) changes.push(`Made ${found.hostname} the primary domain`);
    if (input.redirectToPrimary !== undefined && !input.isPrimary) {
      if (found.isPrimary && input.redirectToPrimary) {
        throw new AppError("INVALID_INPUT", PRIMARY_IS_SERVED_MESSAGE, {
          redirectToPrimary: PRIMARY_IS_SERVED_MESSAGE,
        });
      }
      if (!found.isPrimary && found.redirectToPrimary !== input.redirectToPrimary) {
        changes.push(
          input.redirectToPrimary
            ? `Set ${found.hostname} to redirect to the primary domain`
            : `Set ${found.hostname} to serve the site as an alias`,
        );
      }
    }
    // Nothing to change: no generation bump, no change row.
    if (changes.length === 0) return loadSiteDomains(tx, { siteId, accountId, role });
    await bumpSiteForDomains(tx, {
      siteId,
      accountId,
      actor,
      data: {
        domain: found.hostname,
        ...(input.isPrimary ? { primary: true } : { redirectToPrimary: input.redirectToPrimary ?? false }),
      },
      summary: changes.join("; "),
    });
    // Under the site's row lock now: the domain may have gone, or become primary, meanwhile.
    const domain = await findSiteDomain(tx, { siteId, domainId: options.domainId });
    if (input.isPrimary) {
      await tx.domain.updateMany({ where: { siteId, isPrimary: true }, data: { isPrimary: false } });
      await tx.domain.update({
        where: { id: domain.id },
        data: { isPrimary: true, redirectToPrimary: false },
      });
    } else if (input.redirectToPrimary !== undefined) {
      if (domain.isPrimary) {
        throw new AppError("INVALID_INPUT", PRIMARY_IS_SERVED_MESSAGE, {
          redirectToPrimary: PRIMARY_IS_SERVED_MESSAGE,
        });
      }
      await tx.domain.update({
        where: { id: domain.id },
        data: { redirectToPrimary: input.redirectToPrimary },
      });
    }
    return loadSiteDomains(tx, { siteId, accountId, role });
  });
  log.info("domain updated", {
    event: "domain.updated",
    siteId,
    accountId,
    domainId: options.domainId,
    userId: actor.userId,
  });
  return view;
}
