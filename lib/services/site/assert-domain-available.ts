import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { sitesBaseDomain } from "@/lib/k8s/manifests/platform-hostname";
import { isReservedDomain, parentDomains } from "@/lib/validation/reserved-names";

/**
 * One message for every refusal (taken, below another account's domain, reserved), so that
 * nobody can learn from it whether, or by whom, a domain is held.
 */
export const DOMAIN_NOT_AVAILABLE_MESSAGE =
  "This domain is not available. Choose another domain, or contact your provider if it is yours.";

export function domainNotAvailable(): AppError {
  return new AppError("CONFLICT", DOMAIN_NOT_AVAILABLE_MESSAGE, { domain: DOMAIN_NOT_AVAILABLE_MESSAGE });
}

/**
 * Refuses, inside the writing transaction, a domain that is reserved (the panel's hostname, the
 * platform's names, the sites' platform hostnames: lib/validation/reserved-names.ts), a reseller's
 * panel hostname, already held, or below a domain another
 * account holds: whoever holds example.com decides what www.example.com serves. A domain above
 * one another account holds is allowed: refusing it would let whoever first takes any name below
 * a domain lock the domain's owner out of it, while the name below stays its holder's anyway (an
 * Ingress serves exactly the names it lists).
 * `hostname` is normalised (domainSchema): lower-case, no trailing dot, punycode for international
 * names (so `bücher.example` and `xn--bcher-kva.example` are one domain).
 */
export async function assertDomainAvailable(
  tx: Prisma.TransactionClient,
  options: { hostname: string; accountId: string },
): Promise<void> {
  const { hostname, accountId } = options;
  const reserved = isReservedDomain(hostname, {
    panelUrl: process.env.NEXTAUTH_URL,
    sitesBaseDomain: sitesBaseDomain(),
  });
  if (reserved) throw domainNotAvailable();
  if (await tx.domain.findFirst({ where: { hostname }, select: { id: true } })) throw domainNotAvailable();
  // A reseller's own panel address is the panel's, not a site's.
  if (await tx.brand.findUnique({ where: { hostname }, select: { id: true } })) throw domainNotAvailable();
  // A locking read: it sees claims committed after this transaction's snapshot, and waits for one in
  // flight (another account inserting example.com while this one checks www.example.com), where a
  // plain read would miss it and both would succeed. Only the names above are read this way; the
  // exact name is the unique index's to guard. A parent claimed after this check is allowed anyway.
  const parents = parentDomains(hostname);
  if (parents.length === 0) return;
  const heldAbove = await tx.$queryRaw<{ id: string }[]>`
    SELECT d.id FROM \`Domain\` d JOIN \`Site\` s ON s.id = d.siteId
    WHERE d.hostname IN (${Prisma.join(parents)}) AND s.accountId <> ${accountId}
    LIMIT 1 LOCK IN SHARE MODE`;
  if (heldAbove.length > 0) throw domainNotAvailable();
}
