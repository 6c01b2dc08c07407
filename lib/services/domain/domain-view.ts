import { domainToUnicode } from "node:url";
import type { Domain, Prisma } from "@/lib/generated/prisma/client";
import { type DomainTlsStatus, parseDomainTlsStatus } from "@/lib/k8s/tls-status";
import { canManageDomains } from "@/lib/authz/permissions";
import type { Db } from "@/lib/authz/scope";
import type { Role } from "@/lib/generated/prisma/enums";

/** The code and text a domain's TLS shows while the platform has no ClusterIssuer. */
export const TLS_NOT_CONFIGURED_CODE = "TLS_NOT_CONFIGURED";
export const TLS_NOT_CONFIGURED_MESSAGE = "TLS is not set up on this platform.";

export type DomainTlsView =
  | { state: "not_configured"; code: typeof TLS_NOT_CONFIGURED_CODE; message: string }
  | { state: "unknown"; message: string }
  | DomainTlsStatus;

export interface DomainView {
  id: string;
  siteId: string;
  /** As stored, routed and certified: punycode for international names. */
  hostname: string;
  /** As people read it (`bücher.example`); equal to hostname for plain ASCII names. */
  unicodeHostname: string;
  isPrimary: boolean;
  /** Non-primary only: answers with a 301 to the primary domain; otherwise served as an alias. */
  redirectToPrimary: boolean;
  tls: DomainTlsView;
  createdAt: Date;
}

export interface SiteDomainsView {
  siteId: string;
  accountId: string;
  /** Primary first, then by hostname. */
  domains: DomainView[];
  forceHttps: boolean;
  /** The platform issues certificates (SITEPOD_CLUSTER_ISSUER is set). */
  tlsAvailable: boolean;
  /**
   * Whether the platform's routing can answer redirects and force HTTPS (Gateway API); with plain
   * Ingresses, redirecting domains are served as aliases and the site's conditions say so.
   */
  redirectsSupported: boolean;
  /** The account's domains (every site) against its plan; limit null: no plan, no limit. */
  usage: { used: number; limit: number | null };
  /** The caller may add, remove and change the domains (canManageDomains). */
  canManage: boolean;
}

/** Platform facts the view depends on, read from the same variables as the reconciler's. */
export interface PlatformTls {
  clusterIssuer?: string;
  routing: "gateway" | "ingress";
}

export function platformTlsFromEnv(env: Record<string, string | undefined> = process.env): PlatformTls {
  return {
    ...(env.SITEPOD_CLUSTER_ISSUER ? { clusterIssuer: env.SITEPOD_CLUSTER_ISSUER } : {}),
    routing: env.SITEPOD_ROUTING?.trim().toLowerCase() === "ingress" ? "ingress" : "gateway",
  };
}

export function toUnicodeHostname(hostname: string): string {
  return domainToUnicode(hostname) || hostname;
}

export function toDomainTlsView(stored: unknown, platform: PlatformTls): DomainTlsView {
  if (!platform.clusterIssuer) {
    return { state: "not_configured", code: TLS_NOT_CONFIGURED_CODE, message: TLS_NOT_CONFIGURED_MESSAGE };
  }
  return (
    parseDomainTlsStatus(stored) ?? {
      state: "unknown",
      message: "The platform has not checked this domain's certificate yet.",
    }
  );
}

export function toDomainView(
  domain: Pick<
    Domain,
    "id" | "siteId" | "hostname" | "isPrimary" | "redirectToPrimary" | "tlsStatus" | "createdAt"
  >,
  platform: PlatformTls,
): DomainView {
  return {
    id: domain.id,
    siteId: domain.siteId,
    hostname: domain.hostname,
    unicodeHostname: toUnicodeHostname(domain.hostname),
    isPrimary: domain.isPrimary,
    redirectToPrimary: !domain.isPrimary && domain.redirectToPrimary,
    tls: toDomainTlsView(domain.tlsStatus, platform),
    createdAt: domain.createdAt,
  };
}

export const domainOrder = [
  { isPrimary: "desc" },
  { hostname: "asc" },
] as const satisfies Prisma.DomainOrderByWithRelationInput[];

/** The Domains card's view of one site, read with `db` (the writing transaction, or prisma). */
export async function loadSiteDomains(
  db: Db,
  site: { siteId: string; accountId: string; role: Role },
  platform: PlatformTls = platformTlsFromEnv(),
): Promise<SiteDomainsView> {
  const [row, used, account] = await Promise.all([
    db.site.findFirst({
      where: { id: site.siteId, accountId: site.accountId },
      select: { forceHttps: true, domains: { orderBy: [...domainOrder] } },
    }),
    db.domain.count({ where: { site: { accountId: site.accountId, deletionRequestedAt: null } } }),
    db.account.findUnique({
      where: { id: site.accountId },
      select: { plan: { select: { maxDomains: true } } },
    }),
  ]);
  return {
    siteId: site.siteId,
    accountId: site.accountId,
    domains: (row?.domains ?? []).map((d) => toDomainView(d, platform)),
    forceHttps: row?.forceHttps ?? false,
    tlsAvailable: Boolean(platform.clusterIssuer),
    redirectsSupported: platform.routing === "gateway",
    usage: { used, limit: account?.plan?.maxDomains ?? null },
    canManage: canManageDomains(site.role),
  };
}
