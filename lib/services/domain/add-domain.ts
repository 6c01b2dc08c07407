import { canManageDomains } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { loadSiteDomains, type SiteDomainsView } from "@/lib/services/domain/domain-view";
import { bumpSiteForDomains, hostnameRaceToConflict } from "@/lib/services/domain/domain-write";
import { assertWithinLimits } from "@/lib/services/quota/assert-within-limits";
import { assertDomainAvailable } from "@/lib/services/site/assert-domain-available";
import { addDomainSchema, wwwCounterpart } from "@/lib/validation/domain";
import { formatLimit } from "@/lib/validation/plan";

export interface AddDomainOptions {
  actor: Actor;
  siteId: string;
  /** Untrusted: parsed here with addDomainSchema. */
  input: unknown;
}

/**
 * Adds a domain (and, when asked, its www counterpart redirecting to the primary) to a site, within
 * the plan's maxDomains, refusing names that are reserved or held anywhere on the platform with
 * one neutral message. Bumps the site's generation with a Site UPDATED change in the same
 * transaction, so the reconciler routes the new names.
 */
export async function addDomain(options: AddDomainOptions): Promise<SiteDomainsView> {
  const { actor } = options;
  const { siteId, accountId, role } = await authorizeSite({
    actor,
    siteId: options.siteId,
    permission: canManageDomains,
    action: "change this site's domains",
  });
  const parsed = addDomainSchema.safeParse(options.input);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrorsFromZod(parsed.error));
  }
  const input = parsed.data;
  const counterpart = input.includeWww ? wwwCounterpart(input.domain) : null;
  if (input.includeWww && !counterpart) {
    const message = "This domain has no www counterpart to add; add it without the www option.";
    throw new AppError("INVALID_INPUT", message, { includeWww: message });
  }

  try {
    // Read committed, as createSite: assertDomainAvailable's locking read takes no gap locks then.
    const view = await prisma.$transaction(
      async (tx) => {
        const existing = await tx.domain.findMany({ where: { siteId }, select: { hostname: true } });
        const have = new Set(existing.map((d) => d.hostname));
        if (have.has(input.domain)) {
          const message = "This site already has this domain.";
          throw new AppError("CONFLICT", message, { domain: message });
        }
        // The counterpart the site already has stays as it is; only the missing names are added.
        const adding = [input.domain, ...(counterpart && !have.has(counterpart) ? [counterpart] : [])];
        await assertWithinLimits(tx, {
          accountId,
          adding: { maxDomains: adding.length },
          explain: (violation) => ({
            field: "domain",
            // Under the limit, the www counterpart is what does not fit: say so.
            ...(adding.length > 1 && violation.current < violation.limit
              ? {
                  message: `Your plan allows ${formatLimit("maxDomains", violation.limit)}; you have ${violation.current}, and this adds ${adding.length}: ${adding.join(" and ")}. Add it without its www counterpart, remove a domain or upgrade the plan.`,
                }
              : {}),
          }),
        });
        for (const hostname of adding) await assertDomainAvailable(tx, { hostname, accountId });
        await bumpSiteForDomains(tx, {
          siteId,
          accountId,
          actor,
          data: { domainsAdded: adding },
          summary: `Added domain${adding.length > 1 ? "s" : ""} ${adding.join(", ")}`,
        });
        // A site without a domain (none today: kept for rows from before the rule) takes it as primary.
        const primaryless = existing.length === 0;
        await tx.domain.create({
          data: {
            siteId,
            hostname: input.domain,
            isPrimary: primaryless,
            redirectToPrimary: !primaryless && input.redirectToPrimary,
          },
        });
        if (counterpart && !have.has(counterpart)) {
          // The counterpart exists for the visitors who type it: it redirects to the primary.
          await tx.domain.create({ data: { siteId, hostname: counterpart, redirectToPrimary: true } });
        }
        return loadSiteDomains(tx, { siteId, accountId, role });
      },
      { isolationLevel: "ReadCommitted" },
    );
    log.info("domain added", { event: "domain.added", siteId, accountId, userId: actor.userId });
    return view;
  } catch (err) {
    throw hostnameRaceToConflict(err) ?? err;
  }
}
