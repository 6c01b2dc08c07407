/**
 * Every site answers at a hostname of the platform's, `<site>-<account>.<base domain>`, so that its
 * owner can open it before pointing any DNS at it. Pure, shared by the panel (which shows it), the
 * services (which pick a site's label) and the reconciler (which routes it).
 */
import { isAtOrBelow } from "@/lib/validation/reserved-names";

type Env = Record<string, string | undefined>;

export const DEFAULT_SITES_BASE_DOMAIN = "localhost";
/** A DNS label: what `<site>-<account>` must fit in. */
export const PLATFORM_LABEL_MAX_LENGTH = 63;
/** Hex characters of the hash that keep shortened labels apart. */
const HASH_LENGTH = 10;
/** The longest base domain that still leaves room for a full label below it (253 in all). */
const BASE_DOMAIN_MAX_LENGTH = 253 - PLATFORM_LABEL_MAX_LENGTH - 1;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * SITEPOD_SITES_BASE_DOMAIN, lower-cased and without a trailing dot; default `localhost` (a browser on
 * this machine resolves `*.localhost` to loopback). Throws with what to set on a value that is not a
 * hostname.
 */
export function sitesBaseDomain(env: Env = process.env): string {
  const raw = env.SITEPOD_SITES_BASE_DOMAIN?.trim() ?? "";
  if (raw === "") return DEFAULT_SITES_BASE_DOMAIN;
  const value = raw.toLowerCase().replace(/\.$/, "");
  const labels = value.split(".");
  const valid =
    value.length <= BASE_DOMAIN_MAX_LENGTH &&
    labels.every((label) => HOST_LABEL.test(label)) &&
    !/^\d+$/.test(labels[labels.length - 1] ?? "");
  if (!valid) {
    throw new Error(
      `SITEPOD_SITES_BASE_DOMAIN "${raw}" is not a valid hostname: use lower-case letters, digits, hyphens and dots, at most ${BASE_DOMAIN_MAX_LENGTH} characters (e.g. sites.example.com, or localhost on this machine).`,
    );
  }
  return value;
}

/**
 * SITEPOD_SITES_BASE_URL_SCHEME: how the panel links to platform hostnames. Default http for a
 * `localhost` base domain (no certificate can be issued for it), https otherwise.
 */
export function sitesUrlScheme(env: Env = process.env): "http" | "https" {
  const raw = env.SITEPOD_SITES_BASE_URL_SCHEME?.trim().toLowerCase() ?? "";
  if (raw === "http" || raw === "https") return raw;
  if (raw !== "") {
    throw new Error(`SITEPOD_SITES_BASE_URL_SCHEME "${raw}" is not valid: use http or https.`);
  }
  return isAtOrBelow(sitesBaseDomain(env), "localhost") ? "http" : "https";
}

/**
 * 64 bits of FNV-1a (two 32-bit lanes), hex. Not a cryptographic hash, and it need not be: labels are
 * unique in the database (Site.platformLabel), this only makes a clash unlikely. Plain arithmetic so
 * that this module also loads in the browser bundle (lib/views imports it).
 */
function fnv1a64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (a >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * SITEPOD_SITES_BASE_URL_PORT: the port the gateway answers platform hostnames on, when it is not
 * the scheme's own (a local gateway on a loopback port). Unset: none in the links.
 */
export function sitesUrlPort(env: Env = process.env): number | undefined {
  const raw = env.SITEPOD_SITES_BASE_URL_PORT?.trim() ?? "";
  if (raw === "") return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new Error(
      `SITEPOD_SITES_BASE_URL_PORT "${raw}" is not a port: use a number from 1 to 65535, or leave it unset.`,
    );
  }
  return port;
}

/** The link to a platform hostname: `http://blog-demo.localhost/` locally. */
export function platformUrl(hostname: string, env: Env = process.env): string {
  const scheme = sitesUrlScheme(env);
  const port = sitesUrlPort(env);
  const shown =
    port === undefined || (scheme === "http" && port === 80) || (scheme === "https" && port === 443);
  return `${scheme}://${hostname}${shown ? "" : `:${port}`}/`;
}

/**
 * `<site>-<account>` cut to fit a DNS label, with a hash of the whole pair so that two long names
 * that share their beginning still get different labels.
 */
export function hashedPlatformLabel(siteName: string, accountSlug: string): string {
  const hash = fnv1a64(`${siteName}/${accountSlug}`).slice(0, HASH_LENGTH);
  const head = `${siteName}-${accountSlug}`
    .slice(0, PLATFORM_LABEL_MAX_LENGTH - HASH_LENGTH - 1)
    .replace(/-+$/, "");
  return `${head}-${hash}`;
}

/** `<site>-<account>` when it fits a DNS label, else its hashed form. */
export function plainPlatformLabel(siteName: string, accountSlug: string): string {
  const plain = `${siteName}-${accountSlug}`;
  return plain.length <= PLATFORM_LABEL_MAX_LENGTH ? plain : hashedPlatformLabel(siteName, accountSlug);
}

/**
 * The label a site was given at creation (Site.platformLabel, unique across the platform), or the one
 * derived from its names for a site created before labels were stored.
 */
export function sitePlatformLabel(site: {
  name: string;
  accountSlug: string;
  platformLabel: string | null;
}): string {
  return site.platformLabel ?? plainPlatformLabel(site.name, site.accountSlug);
}

export function platformHostname(label: string, baseDomain: string): string {
  return `${label}.${baseDomain}`;
}
