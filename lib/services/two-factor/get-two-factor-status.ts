import { accountIdsOnPath } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";

export interface TwoFactorStatusView {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  rememberedDevices: number;
  /** Names of the accounts (the caller's or above them) that require two-factor sign-in. */
  requiredBy: string[];
}

/** The caller's own two-factor state, for the profile page. Never the secret. */
export async function getTwoFactorStatus(options: {
  actor: Actor;
  now?: Date;
}): Promise<TwoFactorStatusView> {
  const now = options.now ?? new Date();
  const user = await prisma.user.findUnique({
    where: { id: options.actor.userId },
    select: {
      twoFactorEnabledAt: true,
      memberships: { select: { account: { select: { path: true } } } },
      _count: {
        select: {
          recoveryCodes: { where: { usedAt: null } },
          rememberedDevices: { where: { expiresAt: { gt: now } } },
        },
      },
    },
  });
  if (!user) throw new AppError("NOT_FOUND", "User not found.");
  const onPaths = [...new Set(user.memberships.flatMap((m) => accountIdsOnPath(m.account.path)))];
  const requiring =
    onPaths.length === 0
      ? []
      : await prisma.account.findMany({
          where: { id: { in: onPaths }, requireTwoFactor: true },
          select: { name: true },
          orderBy: { name: "asc" },
        });
  return {
    enabled: user.twoFactorEnabledAt !== null,
    enabledAt: user.twoFactorEnabledAt,
    recoveryCodesLeft: user.twoFactorEnabledAt ? user._count.recoveryCodes : 0,
    rememberedDevices: user._count.rememberedDevices,
    requiredBy: requiring.map((a) => a.name),
  };
}
