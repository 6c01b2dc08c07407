/**
 * The DNS records a customer creates for a site's domain, and what a lookup of the domain says
 * about them. Pure: the service (lib/services/site/check-site-dns.ts) does the lookups.
 */
import { canonicalAddress, type PublicDnsTargets } from "@/lib/dns/public-dns-targets";

export type DnsRecordType = "A" | "AAAA" | "CNAME";

export interface DnsRecordToCreate {
  type: DnsRecordType;
  /** The full name the record is for: the domain itself. */
  name: string;
  /**
   * The same name as most DNS providers' forms ask for it, relative to the domain's zone: `@` for
   * the domain itself, `www` for www.example.com. A guess (see zoneOf); `name` is exact.
   */
  host: string;
  /** An address (A/AAAA) or a hostname (CNAME). */
  value: string;
}

/**
 * Suffixes under which people register names with three labels (example.co.uk). Not the public
 * suffix list: a name missing here only loses the CNAME suggestion (A/AAAA records work at any
 * name), never gets a CNAME at its apex, where DNS forbids one.
 */
const TWO_LABEL_SUFFIXES = new Set([
  "ac.uk",
  "co.uk",
  "gov.uk",
  "ltd.uk",
  "me.uk",
  "net.uk",
  "org.uk",
  "plc.uk",
  "com.au",
  "net.au",
  "org.au",
  "co.nz",
  "net.nz",
  "org.nz",
  "co.jp",
  "ne.jp",
  "or.jp",
  "co.kr",
  "or.kr",
  "co.za",
  "org.za",
  "co.in",
  "net.in",
  "org.in",
  "co.il",
  "co.id",
  "com.ar",
  "com.br",
  "net.br",
  "org.br",
  "com.cn",
  "net.cn",
  "org.cn",
  "com.hk",
  "com.mx",
  "com.my",
  "com.ph",
  "com.pl",
  "com.sg",
  "com.tr",
  "com.tw",
  "com.ua",
  "com.vn",
]);

/** The registered name `hostname` belongs to (example.com for blog.example.com), by its labels. */
export function zoneOf(hostname: string): string {
  const labels = hostname.split(".");
  const size = labels.length >= 3 && TWO_LABEL_SUFFIXES.has(labels.slice(-2).join(".")) ? 3 : 2;
  return labels.slice(-size).join(".");
}

/** The domain itself (example.com), where only A/AAAA records may go, not a CNAME. */
export function isApex(hostname: string): boolean {
  return zoneOf(hostname) === hostname;
}

/**
 * What to create for `hostname`: below a domain, a CNAME to the platform's hostname when it has
 * one; otherwise (and always at the apex) an A record per IPv4 address and an AAAA record per
 * IPv6 address.
 */
export function recordsToCreate(hostname: string, targets: PublicDnsTargets): DnsRecordToCreate[] {
  const zone = zoneOf(hostname);
  const host = hostname === zone ? "@" : hostname.slice(0, -(zone.length + 1));
  if (targets.hostname && hostname !== zone) {
    return [{ type: "CNAME", name: hostname, host, value: targets.hostname }];
  }
  return targets.addresses.map((address) => ({
    type: address.includes(":") ? ("AAAA" as const) : ("A" as const),
    name: hostname,
    host,
    value: address,
  }));
}

/** What a lookup of a name gave (lib/dns/resolve-hostname.ts). */
export interface DnsResolution {
  lookup:
    | { outcome: "addresses"; addresses: string[] }
    | { outcome: "not_found" }
    | { outcome: "failed"; reason: "timeout" | "error"; code?: string };
  /** The name's CNAME target, when one was asked for and found. */
  cname: string | null;
}

export type DnsCheck =
  /** Every address the name resolves to is the platform's, or it is a CNAME to the platform's hostname. */
  | { state: "points_here"; addresses: string[]; cname: string | null }
  /** `elsewhere`: the addresses that are not the platform's (empty when only a foreign CNAME exists). */
  | { state: "points_elsewhere"; addresses: string[]; elsewhere: string[]; cname: string | null }
  | { state: "not_found" }
  /** No answer in time, or the resolver failed (not "no such name"): try again later. */
  | { state: "lookup_failed"; reason: "timeout" | "error"; code?: string };

const sameName = (a: string, b: string) =>
  a.toLowerCase().replace(/\.$/, "") === b.toLowerCase().replace(/\.$/, "");

function canonical(address: string): string {
  try {
    return canonicalAddress(address.toLowerCase());
  } catch {
    return address;
  }
}

/** Whether the lookup's answer leads to the platform. */
export function compareResolution(resolution: DnsResolution, targets: PublicDnsTargets): DnsCheck {
  const { lookup, cname } = resolution;
  const viaCname = cname !== null && targets.hostname !== null && sameName(cname, targets.hostname);
  if (lookup.outcome === "failed") {
    return viaCname
      ? { state: "points_here", addresses: [], cname }
      : { state: "lookup_failed", reason: lookup.reason, ...(lookup.code ? { code: lookup.code } : {}) };
  }
  const addresses = lookup.outcome === "addresses" ? [...new Set(lookup.addresses.map(canonical))] : [];
  if (viaCname) return { state: "points_here", addresses, cname };
  if (addresses.length === 0) {
    return cname ? { state: "points_elsewhere", addresses, elsewhere: [], cname } : { state: "not_found" };
  }
  const ours = new Set(targets.addresses.map(canonical));
  const elsewhere = addresses.filter((address) => !ours.has(address));
  return elsewhere.length === 0
    ? { state: "points_here", addresses, cname }
    : { state: "points_elsewhere", addresses, elsewhere, cname };
}

/**
 * Lookup errors that mean the name has no address (node:dns codes for getaddrinfo's EAI_NONAME
 * and EAI_NODATA, and c-ares' NXDOMAIN / no data): anything else is a failed lookup.
 */
export function isNotFoundCode(code: string | undefined): boolean {
  return code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NODATA" || code === "EAI_NONAME";
}
