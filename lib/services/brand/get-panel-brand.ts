import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { accountLogoUrl, nearestBrand, type PanelBrand } from "@/lib/services/brand/brand-view";

/**
 * What the panel of an account shows instead of Sitepod's name, logo and colour: the brand of the
 * nearest reseller above it (a customer's, at any depth), or null (Sitepod's own). A reseller's own
 * panel stays Sitepod's: its brand is for its customers, and its Branding page previews it.
 */
export async function getPanelBrand(options: {
  actor: Actor;
  accountId: string;
}): Promise<PanelBrand | null> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  const brand = await nearestBrand(prisma, account.path, { includeSelf: false });
  if (!brand) return null;
  return {
    name: brand.name,
    primaryColor: brand.primaryColor,
    logoUrl: brand.logoSha256 ? accountLogoUrl(accountId, brand.logoSha256) : null,
  };
}
