import { createHash } from "node:crypto";
import { canManageBrand } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { checkLogo } from "@/lib/brand/logo";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { type BrandSettingsView, brandSelect, toBrandSettingsView } from "@/lib/services/brand/brand-view";
import { appendChange } from "@/lib/services/change-log/append-change";
import { brandLogoSchema } from "@/lib/validation/brand";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Sets the logo of a reseller's white label (which must exist: a name and colour first). The
 * image's format is read from its bytes (lib/brand/logo.ts): PNG, JPEG, WebP, or an SVG without
 * scripts, at most LOGO_MAX_BYTES; it is stored in the database with its sha256.
 */
export async function setBrandLogo(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { logo: base64 }. */
  input: unknown;
}): Promise<BrandSettingsView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageBrand,
    action: "change the branding",
  });
  const { logo: base64 } = parseInput(brandLogoSchema, options.input);
  const bytes = Buffer.from(base64, "base64");
  const checked = checkLogo(bytes);
  if (!checked.ok) throw new AppError("INVALID_INPUT", checked.problem, { logo: checked.problem });
  const sha256 = createHash("sha256").update(bytes).digest("hex");

  const brand = await prisma.$transaction(async (tx) => {
    const before = await tx.brand.findUnique({ where: { accountId }, select: { id: true } });
    if (!before) {
      const message = "Save a name and colour first; then add the logo.";
      throw new AppError("CONFLICT", message, { logo: message });
    }
    const saved = await tx.brand.update({
      where: { id: before.id },
      data: { logo: bytes, logoContentType: checked.contentType, logoSha256: sha256 },
      select: brandSelect,
    });
    await appendChange(tx, {
      kind: "Brand",
      objectId: saved.id,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { logo: { contentType: checked.contentType, bytes: bytes.length, sha256 } },
      summary: `Changed the logo of the branding ${saved.name}`,
    });
    return saved;
  });
  log.info("brand logo set", {
    event: "brand.logo_set",
    accountId,
    bytes: bytes.length,
    actor,
  });
  return toBrandSettingsView(brand);
}
