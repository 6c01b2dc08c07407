import { canResetUserTwoFactor } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";

export interface UserTwoFactorView {
  id: string;
  email: string;
  name: string;
  twoFactorEnabledAt: Date | null;
}

/** For the operator's reset form: the user with this email (case-insensitive) and their 2FA state. */
export async function findUserTwoFactor(options: {
  actor: Actor;
  email: string;
}): Promise<UserTwoFactorView | null> {
  await authorizePlatformOperator({
    actor: options.actor,
    permission: canResetUserTwoFactor,
    action: "reset two-factor sign-in",
    notFound: "User not found.",
  });
  return prisma.user.findUnique({
    where: { email: options.email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, twoFactorEnabledAt: true },
  });
}
