import { canManageBrand } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";

/** Removes a reseller's white label (logo and hostname too): the accounts below it see Sitepod again. */
export async function removeBrand(options: { actor: Actor; accountId: string }): Promise<void> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageBrand,
    action: "change the branding",
  });
  await prisma.$transaction(async (tx) => {
    const brand = await tx.brand.findUnique({ where: { accountId }, select: { id: true, name: true } });
    if (!brand) throw new AppError("NOT_FOUND", "This account has no branding to remove.");
    await tx.brand.delete({ where: { id: brand.id } });
    await appendChange(tx, {
      kind: "Brand",
      objectId: brand.id,
      accountId,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { name: brand.name },
      summary: `Removed the branding ${brand.name}`,
    });
  });
  log.info("brand removed", { event: "brand.removed", accountId, userId: actor.userId });
}
