import { canSetTwoFactorPolicy, canViewAccount } from "@/lib/authz/permissions";
import { accountIdsOnPath, authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";

export interface TwoFactorPolicyDetails {
  accountId: string;
  requireTwoFactor: boolean;
  /** The nearest account above that requires it too (its members here must enrol regardless). */
  requiredAbove: string | null;
  canChange: boolean;
}

/** The account's own setting and any requirement inherited from above, for its page. */
export async function getTwoFactorPolicy(options: {
  actor: Actor;
  accountId: string;
}): Promise<TwoFactorPolicyDetails> {
  const role = await authorizeAccount({
    actor: options.actor,
    accountId: options.accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  const account = await prisma.account.findUnique({
    where: { id: options.accountId },
    select: { id: true, path: true, requireTwoFactor: true },
  });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  const ancestorIds = accountIdsOnPath(account.path).filter((id) => id !== account.id);
  const above = await prisma.account.findMany({
    where: { id: { in: ancestorIds }, requireTwoFactor: true },
    select: { name: true, path: true },
  });
  // The nearest: the longest path.
  above.sort((a, b) => b.path.length - a.path.length);
  return {
    accountId: account.id,
    requireTwoFactor: account.requireTwoFactor,
    requiredAbove: above[0]?.name ?? null,
    canChange: canSetTwoFactorPolicy(role),
  };
}
