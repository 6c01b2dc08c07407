import { brandsPanel, canViewBrand } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { notAReseller } from "@/lib/services/brand/brand-errors";
import { type BrandSettingsView, brandSelect, toBrandSettingsView } from "@/lib/services/brand/brand-view";

/** A reseller's white label as its members see it on the Branding page; null while it has none. */
export async function getBrand(options: {
  actor: Actor;
  accountId: string;
}): Promise<BrandSettingsView | null> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewBrand,
    action: "view the branding",
  });
  const account = await prisma.account.findUnique({ where: { id: accountId }, select: { kind: true } });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  if (!brandsPanel(account.kind)) throw notAReseller();
  const brand = await prisma.brand.findUnique({ where: { accountId }, select: brandSelect });
  return brand ? toBrandSettingsView(brand) : null;
}
