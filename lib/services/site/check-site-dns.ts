import { canViewSite } from "@/lib/authz/permissions";
import { authorizeSite } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { type PublicDnsTargets, publicDnsTargets } from "@/lib/dns/public-dns-targets";
import { type ResolverFunctions, resolveHostname } from "@/lib/dns/resolve-hostname";
import {
  compareResolution,
  type DnsCheck,
  type DnsRecordToCreate,
  recordsToCreate,
} from "@/lib/dns/site-dns";
import type { Actor } from "@/lib/services/actor";
import { domainOrder, toUnicodeHostname } from "@/lib/services/domain/domain-view";

export interface SiteDnsDomainView {
  /** As stored and looked up: punycode for international names. */
  hostname: string;
  unicodeHostname: string;
  isPrimary: boolean;
  records: DnsRecordToCreate[];
  check: DnsCheck;
}

export interface SiteDnsView {
  siteId: string;
  /** What customers point DNS at (SITEPOD_PUBLIC_ADDRESSES, SITEPOD_PUBLIC_HOSTNAME). */
  targets: PublicDnsTargets;
  /** Every address is a loopback one: only this machine reaches the platform through them. */
  loopbackOnly: boolean;
  /** Primary first, then by hostname. */
  domains: SiteDnsDomainView[];
  checkedAt: string;
}

const isLoopback = (address: string) => address === "::1" || address.startsWith("127.");

/**
 * Per domain of the site: the records to create, and whether they already lead here, looked up
 * now through the system resolver (a few seconds at most per name, all names at once).
 * NOT_FOUND for unknown and foreign sites alike.
 */
export async function checkSiteDns(options: {
  actor: Actor;
  siteId: string;
  /** Tests only: another resolver than the system's. */
  resolver?: ResolverFunctions;
}): Promise<SiteDnsView> {
  const { siteId, accountId } = await authorizeSite({
    actor: options.actor,
    siteId: options.siteId,
    permission: canViewSite,
    action: "view this site",
  });
  const targets = publicDnsTargets();
  const domains = await prisma.domain.findMany({
    where: { siteId, site: { accountId } },
    select: { hostname: true, isPrimary: true },
    orderBy: [...domainOrder],
  });
  const checked = await Promise.all(
    domains.map(async (domain): Promise<SiteDnsDomainView> => {
      const records = recordsToCreate(domain.hostname, targets);
      const resolution = await resolveHostname(domain.hostname, {
        cname: records.some((record) => record.type === "CNAME"),
        ...(options.resolver ? { resolver: options.resolver } : {}),
      });
      return {
        hostname: domain.hostname,
        unicodeHostname: toUnicodeHostname(domain.hostname),
        isPrimary: domain.isPrimary,
        records,
        check: compareResolution(resolution, targets),
      };
    }),
  );
  return {
    siteId,
    targets,
    loopbackOnly: targets.addresses.every(isLoopback),
    domains: checked,
    checkedAt: new Date().toISOString(),
  };
}
