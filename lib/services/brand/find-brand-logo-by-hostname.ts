import { prisma } from "@/lib/db";
import { requestHostname } from "@/lib/services/brand/brand-view";
import type { BrandLogo } from "@/lib/services/brand/get-brand-logo";

/** The logo of the brand of the panel hostname `host`, or null. Public, as findBrandByHostname: branding only. */
export async function findBrandLogoByHostname(host: string | null | undefined): Promise<BrandLogo | null> {
  const hostname = requestHostname(host);
  if (!hostname) return null;
  const brand = await prisma.brand.findUnique({
    where: { hostname },
    select: {
      logo: true,
      logoContentType: true,
      logoSha256: true,
      account: { select: { kind: true, terminationRequestedAt: true } },
    },
  });
  if (!brand?.logo || !brand.logoContentType || !brand.logoSha256) return null;
  if (brand.account.kind !== "RESELLER" || brand.account.terminationRequestedAt) return null;
  return { bytes: brand.logo, contentType: brand.logoContentType, sha256: brand.logoSha256 };
}
