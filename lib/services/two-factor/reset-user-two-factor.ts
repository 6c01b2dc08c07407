import { requireInteractive } from "@/lib/authz/interactive";
import { canResetUserTwoFactor } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { clearTwoFactor } from "@/lib/services/two-factor/clear-two-factor";

/**
 * The platform operator turns a user's two-factor sign-in off (a lost phone and lost recovery
 * codes): the user signs in with their password alone and, if an account requires it, enrols
 * again. Their sessions end with it: whoever holds the lost phone may hold a signed-in browser too.
 * Recorded in the platform's audit log with the operator who did it.
 */
export async function resetUserTwoFactor(options: {
  actor: Actor;
  userId: string;
}): Promise<{ userId: string; wasEnabled: boolean }> {
  const { actor } = options;
  requireInteractive(actor, "reset two-factor sign-in");
  const { platformAccountId } = await authorizePlatformOperator({
    actor,
    permission: canResetUserTwoFactor,
    action: "reset two-factor sign-in",
    notFound: "User not found.",
  });
  const result = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: options.userId },
      select: { id: true, email: true },
    });
    if (!user) throw new AppError("NOT_FOUND", "User not found.");
    const wasEnabled = await clearTwoFactor(tx, user.id);
    await revokeUserSessions({ userId: user.id, db: tx });
    await appendChange(tx, {
      kind: "User",
      objectId: user.id,
      accountId: platformAccountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { twoFactor: "reset", wasEnabled },
      summary: `Reset two-factor sign-in of ${user.email}`,
    });
    return { userId: user.id, wasEnabled };
  });
  log.info("two-factor sign-in reset", {
    event: "auth.two_factor_reset",
    userId: actor.userId,
    targetUserId: result.userId,
  });
  return result;
}
