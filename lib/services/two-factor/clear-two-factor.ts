import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Inside the caller's transaction: turns the user's two-factor sign-in off and forgets everything
 * that belonged to it (secret, last step, recovery codes, remembered devices). Answers whether it
 * was on.
 */
export async function clearTwoFactor(tx: Prisma.TransactionClient, userId: string): Promise<boolean> {
  const cleared = await tx.user.updateMany({
    where: { id: userId, twoFactorEnabledAt: { not: null } },
    data: { twoFactorSecretCiphertext: null, twoFactorEnabledAt: null, twoFactorLastStep: null },
  });
  // A pending (unconfirmed) secret goes too.
  await tx.user.updateMany({
    where: { id: userId, twoFactorSecretCiphertext: { not: null } },
    data: { twoFactorSecretCiphertext: null, twoFactorLastStep: null },
  });
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.rememberedDevice.deleteMany({ where: { userId } });
  return cleared.count === 1;
}
