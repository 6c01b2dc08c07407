import { generateRecoveryCodes, hashRecoveryCode } from "@/lib/auth/totp";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Inside the caller's transaction: deletes the user's recovery codes and stores the hashes of ten
 * fresh ones. Answers the codes in clear text, to be shown once and never again.
 */
export async function replaceRecoveryCodes(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const codes = generateRecoveryCodes();
  await tx.recoveryCode.deleteMany({ where: { userId } });
  await tx.recoveryCode.createMany({
    data: codes.map((code) => ({ userId, codeHash: hashRecoveryCode(code) })),
  });
  return codes;
}
