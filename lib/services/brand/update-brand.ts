import { brandsPanel, canManageBrand } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { sitesBaseDomain } from "@/lib/k8s/manifests/platform-hostname";
import type { Actor } from "@/lib/services/actor";
import { hostnameNotAvailable, isUniqueViolation, notAReseller } from "@/lib/services/brand/brand-errors";
import { type BrandSettingsView, brandSelect, toBrandSettingsView } from "@/lib/services/brand/brand-view";
import { appendChange } from "@/lib/services/change-log/append-change";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { updateBrandSchema } from "@/lib/validation/brand";
import { parseInput } from "@/lib/validation/parse-input";
import { isReservedDomain } from "@/lib/validation/reserved-names";

/**
 * Sets a reseller's white label: the name, colour (readable: lib/brand/colour.ts) and optional panel
 * hostname the accounts below it see; the logo is set apart (setBrandLogo). A hostname must be free:
 * not the panel's own or a platform name (reserved-names.ts), no site's domain, no other reseller's
 * (a unique index guards the race). Only the reseller's owners and admins (or the platform's) may.
 */
export async function updateBrand(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { name, primaryColor, hostname? }. */
  input: unknown;
}): Promise<BrandSettingsView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageBrand,
    action: "change the branding",
  });
  const input = parseInput(updateBrandSchema, options.input);
  try {
    const brand = await prisma.$transaction(async (tx) => {
      await lockAccounts(tx, [accountId]);
      const account = await tx.account.findUnique({
        where: { id: accountId },
        select: { kind: true, name: true, terminationRequestedAt: true },
      });
      if (!account) throw new AppError("NOT_FOUND", "Account not found.");
      if (!brandsPanel(account.kind)) throw notAReseller();
      if (account.terminationRequestedAt)
        throw new AppError("CONFLICT", `${account.name} is being terminated.`);
      const before = await tx.brand.findUnique({ where: { accountId }, select: brandSelect });
      if (input.hostname !== null && input.hostname !== before?.hostname) {
        const reserved = isReservedDomain(input.hostname, {
          panelUrl: process.env.NEXTAUTH_URL,
          sitesBaseDomain: sitesBaseDomain(),
        });
        const site = await tx.domain.findUnique({
          where: { hostname: input.hostname },
          select: { id: true },
        });
        const other = await tx.brand.findUnique({
          where: { hostname: input.hostname },
          select: { accountId: true },
        });
        if (reserved || site || (other && other.accountId !== accountId)) throw hostnameNotAvailable();
      }
      const data = { name: input.name, primaryColor: input.primaryColor, hostname: input.hostname };
      const saved = await tx.brand.upsert({
        where: { accountId },
        create: { accountId, ...data },
        update: data,
        select: brandSelect,
      });
      await appendChange(tx, {
        kind: "Brand",
        objectId: saved.id,
        accountId,
        action: before ? "UPDATED" : "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data,
        summary: `${before ? "Changed" : "Set"} the branding: ${input.name}, colour ${input.primaryColor}${input.hostname ? `, panel hostname ${input.hostname}` : ""}`,
      });
      return saved;
    });
    log.info("brand updated", { event: "brand.updated", accountId, userId: actor.userId });
    return toBrandSettingsView(brand);
  } catch (err) {
    if (isUniqueViolation(err)) throw hostnameNotAvailable();
    throw err;
  }
}
