import { accountIdsOnPath, type Db } from "@/lib/authz/scope";
import type { Brand } from "@/lib/generated/prisma/client";

/** Every column of a Brand but the logo's bytes: what pages and lists read. */
export const brandSelect = {
  id: true,
  accountId: true,
  name: true,
  primaryColor: true,
  logoContentType: true,
  logoSha256: true,
  hostname: true,
  updatedAt: true,
} as const;

export type BrandRow = Pick<Brand, keyof typeof brandSelect>;

/** A reseller's white label as its Branding page and the REST API show it. */
export interface BrandSettingsView {
  accountId: string;
  name: string;
  primaryColor: string;
  hostname: string | null;
  /** Null: no logo. `url` serves it (with its version, so that a new logo is never a cached old one). */
  logo: { contentType: string; url: string } | null;
  updatedAt: string;
}

/** The version part of a logo's URL: a new logo gets a new URL, so an old one can be cached long. */
function logoVersion(sha256: string): string {
  return sha256.slice(0, 16);
}

/** Where the logo of the brand an account's panel carries is served (see getBrandLogo). */
export function accountLogoUrl(accountId: string, sha256: string): string {
  return `/api/v1/accounts/${encodeURIComponent(accountId)}/brand/logo?v=${logoVersion(sha256)}`;
}

/** Where the logo of the brand of the panel hostname a request came to is served (no account named). */
export function hostnameLogoUrl(sha256: string): string {
  return `/api/v1/panel-brand/logo?v=${logoVersion(sha256)}`;
}

export function toBrandSettingsView(brand: BrandRow): BrandSettingsView {
  return {
    accountId: brand.accountId,
    name: brand.name,
    primaryColor: brand.primaryColor,
    hostname: brand.hostname,
    logo:
      brand.logoContentType && brand.logoSha256
        ? { contentType: brand.logoContentType, url: accountLogoUrl(brand.accountId, brand.logoSha256) }
        : null,
    updatedAt: brand.updatedAt.toISOString(),
  };
}

/**
 * What a panel shows instead of Sitepod's name, logo and colour: branding only, nothing of the
 * reseller's account (not even its id).
 */
export interface PanelBrand {
  name: string;
  primaryColor: string;
  /** Null: no logo (the name alone). */
  logoUrl: string | null;
}

/**
 * The brand of the nearest reseller on an account's path: strictly above it (what the account's
 * panel carries: a reseller's brand is for the accounts below it), or with `includeSelf` the
 * account's own too (a reseller's logo, for its Branding page).
 */
export async function nearestBrand(
  db: Db,
  path: string,
  options: { includeSelf: boolean },
): Promise<BrandRow | null> {
  const ids = accountIdsOnPath(path);
  const candidates = options.includeSelf ? ids : ids.slice(0, -1);
  if (candidates.length === 0) return null;
  const brands = await db.brand.findMany({
    where: { accountId: { in: candidates }, account: { kind: "RESELLER" } },
    select: brandSelect,
  });
  let nearest: BrandRow | null = null;
  for (const brand of brands) {
    if (!nearest || candidates.indexOf(brand.accountId) > candidates.indexOf(nearest.accountId))
      nearest = brand;
  }
  return nearest;
}

/** The Host a request came to, normalised as brand hostnames are stored (lower-case, no port or trailing dot), or null. */
export function requestHostname(host: string | null | undefined): string | null {
  if (!host) return null;
  const name = host.trim().toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
  // A hostname only (an IP address or anything odd names no brand).
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(name) && name.length <= 253
    ? name
    : null;
}
