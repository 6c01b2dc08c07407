import { checkTotp, hashRecoveryCode, looksLikeTotpCode } from "@/lib/auth/totp";
import type { Db } from "@/lib/authz/scope";
import { open } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db";

export type SecondFactorResult =
  | { ok: true; method: "totp" | "recovery-code" }
  | { ok: false; reason: "not-enrolled" | "invalid" | "replayed" };

/**
 * Checks and consumes a second factor of an enrolled user: a TOTP code (its time step is stored, so
 * neither it nor an older code works again) or an unused recovery code (marked used). Both are
 * consumed by one guarded update, so two concurrent sign-ins with the same code cannot both pass.
 */
export async function verifySecondFactor(options: {
  userId: string;
  code: string;
  now?: Date;
  db?: Db;
}): Promise<SecondFactorResult> {
  const db = options.db ?? prisma;
  const now = options.now ?? new Date();
  const user = await db.user.findUnique({
    where: { id: options.userId },
    select: { twoFactorEnabledAt: true, twoFactorSecretCiphertext: true, twoFactorLastStep: true },
  });
  if (!user?.twoFactorEnabledAt || !user.twoFactorSecretCiphertext)
    return { ok: false, reason: "not-enrolled" };

  if (looksLikeTotpCode(options.code)) {
    const check = checkTotp({
      secretBase32: open(user.twoFactorSecretCiphertext),
      code: options.code,
      now: now.getTime(),
      lastStep: user.twoFactorLastStep,
    });
    if (!check.ok) return check;
    const stored = await db.user.updateMany({
      where: {
        id: options.userId,
        twoFactorEnabledAt: { not: null },
        OR: [{ twoFactorLastStep: null }, { twoFactorLastStep: { lt: check.step } }],
      },
      data: { twoFactorLastStep: check.step },
    });
    return stored.count === 1 ? { ok: true, method: "totp" } : { ok: false, reason: "replayed" };
  }

  const used = await db.recoveryCode.updateMany({
    where: { userId: options.userId, codeHash: hashRecoveryCode(options.code), usedAt: null },
    data: { usedAt: now },
  });
  return used.count === 1 ? { ok: true, method: "recovery-code" } : { ok: false, reason: "invalid" };
}
