/**
 * Names no tenant may take, in one place: the site names Sitepod gives its own objects in a
 * tenant namespace, and the domains that belong to the platform rather than to any tenant.
 * Pure, so that the forms, the services and the reconciler share it.
 */

/**
 * Every object Sitepod puts in a tenant namespace for itself (the suspended page, the sites'
 * ServiceAccount, the plan's quota and defaults, the network policies) is named `sitepod-...`
 * (lib/k8s/manifests; their test checks it). A site's objects are named after the site
 * (`<name>`, `<name>-files`, ...), so a site named `sitepod` or `sitepod-...` could take or
 * collide with one of them.
 */
export const RESERVED_OBJECT_PREFIX = "sitepod";

export const RESERVED_SITE_NAME_MESSAGE = `Names starting with "${RESERVED_OBJECT_PREFIX}" are reserved for Sitepod's own objects. Choose another name.`;

/** Why `name` cannot be a site name because Sitepod uses it, or null. */
export function reservedSiteNameProblem(name: string): string | null {
  return name === RESERVED_OBJECT_PREFIX || name.startsWith(`${RESERVED_OBJECT_PREFIX}-`)
    ? RESERVED_SITE_NAME_MESSAGE
    : null;
}

/**
 * Domains (and every name below them) that resolve to the machine, the local network or the
 * cluster itself, never to a tenant's site: an Ingress for them would at best never be reached
 * and at worst answer for a name users trust as internal.
 * The RFC 2606 names tenants test with (.test, .example, example.com) are not among them.
 */
export const PLATFORM_RESERVED_DOMAINS: readonly string[] = [
  "localhost", // RFC 6761
  "local", // mDNS (RFC 6762), and Kubernetes' cluster.local
  "internal", // private use (ICANN, 2024); cloud metadata names
  "invalid", // RFC 6761
  "arpa", // reverse DNS, home.arpa
  "svc", // Kubernetes Service names (<service>.<namespace>.svc)
  "intranet",
  "lan",
  "home",
  "corp",
];

/** The panel's hostname from its public URL (NEXTAUTH_URL), lower-case, or null. */
export function panelHostname(panelUrl: string | undefined): string | null {
  if (!panelUrl) return null;
  try {
    return new URL(panelUrl).hostname.toLowerCase().replace(/\.$/, "") || null;
  } catch {
    return null;
  }
}

/** `hostname` equals `domain` or is a name below it. */
export function isAtOrBelow(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

/**
 * Whether `hostname` (normalised: lower-case, no trailing dot) is the panel's own hostname, below
 * it, one of the platform's reserved domains or below one, or below the base domain of the sites'
 * platform hostnames (`<site>-<account>.<sitesBaseDomain>`, which are the platform's to give).
 */
export function isReservedDomain(
  hostname: string,
  options: { panelUrl: string | undefined; sitesBaseDomain?: string },
): boolean {
  const panel = panelHostname(options.panelUrl);
  const reserved = [
    ...PLATFORM_RESERVED_DOMAINS,
    ...(panel ? [panel] : []),
    ...(options.sitesBaseDomain ? [options.sitesBaseDomain] : []),
  ];
  return reserved.some((domain) => isAtOrBelow(hostname, domain));
}

/** "a.b.example.com" -> ["b.example.com", "example.com", "com"]: the names `hostname` is below. */
export function parentDomains(hostname: string): string[] {
  const labels = hostname.split(".");
  return labels.slice(1).map((_, i) => labels.slice(i + 1).join("."));
}
