import { prisma } from "@/lib/db";
import {
  brandSelect,
  hostnameLogoUrl,
  type PanelBrand,
  requestHostname,
} from "@/lib/services/brand/brand-view";

/**
 * The brand of the reseller whose own panel hostname `host` (a request's Host header) is, or null.
 * Needs no caller: it answers for the sign-in page of that hostname, to anyone who opens it, and
 * gives branding only (name, colour, whether there is a logo), never anything of the account.
 */
export async function findBrandByHostname(host: string | null | undefined): Promise<PanelBrand | null> {
  const hostname = requestHostname(host);
  if (!hostname) return null;
  const brand = await prisma.brand.findUnique({
    where: { hostname },
    select: { ...brandSelect, account: { select: { kind: true, terminationRequestedAt: true } } },
  });
  if (brand?.account.kind !== "RESELLER" || brand.account.terminationRequestedAt) return null;
  return {
    name: brand.name,
    primaryColor: brand.primaryColor,
    logoUrl: brand.logoSha256 ? hostnameLogoUrl(brand.logoSha256) : null,
  };
}
