import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { nearestBrand } from "@/lib/services/brand/brand-view";

export interface BrandLogo {
  bytes: Uint8Array;
  contentType: string;
  sha256: string;
}

/**
 * The logo of the brand an account's panel carries: its nearest reseller's (the account's own, for a
 * reseller: what its customers see). Whoever may view the account may see it: it is branding only,
 * shown in the account's own panel. NOT_FOUND when the account is out of reach or has no logo.
 */
export async function getBrandLogo(options: { actor: Actor; accountId: string }): Promise<BrandLogo> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  const brand = await nearestBrand(prisma, account.path, { includeSelf: true });
  const row = brand
    ? await prisma.brand.findUnique({
        where: { id: brand.id },
        select: { logo: true, logoContentType: true, logoSha256: true },
      })
    : null;
  if (!row?.logo || !row.logoContentType || !row.logoSha256) throw new AppError("NOT_FOUND", "No logo.");
  return { bytes: row.logo, contentType: row.logoContentType, sha256: row.logoSha256 };
}
