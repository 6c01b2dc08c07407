import { canManageBrand } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { type BrandSettingsView, brandSelect, toBrandSettingsView } from "@/lib/services/brand/brand-view";
import { appendChange } from "@/lib/services/change-log/append-change";

/** Removes the logo of a reseller's white label: its panel shows the name alone. */
export async function removeBrandLogo(options: {
  actor: Actor;
  accountId: string;
}): Promise<BrandSettingsView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageBrand,
    action: "change the branding",
  });
  const brand = await prisma.$transaction(async (tx) => {
    const before = await tx.brand.findUnique({
      where: { accountId },
      select: { id: true, logoSha256: true },
    });
    if (!before?.logoSha256) throw new AppError("NOT_FOUND", "The branding has no logo to remove.");
    const saved = await tx.brand.update({
      where: { id: before.id },
      data: { logo: null, logoContentType: null, logoSha256: null },
      select: brandSelect,
    });
    await appendChange(tx, {
      kind: "Brand",
      objectId: saved.id,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { logo: null },
      summary: `Removed the logo of the branding ${saved.name}`,
    });
    return saved;
  });
  log.info("brand logo removed", { event: "brand.logo_removed", accountId, userId: actor.userId });
  return toBrandSettingsView(brand);
}
