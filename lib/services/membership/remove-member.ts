import { requireInteractive } from "@/lib/authz/interactive";
import { canRemoveMembers, roleStrength } from "@/lib/authz/permissions";
import { getAccountRole } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { removeMemberSchema } from "@/lib/validation/membership";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Removes a user's membership of an account (not of its ancestors). Admins remove members whose
 * role is not stronger than theirs; anyone may leave; the owner cannot be removed and cannot
 * leave before transferring ownership.
 */
export async function removeMember(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { userId }. */
  input: unknown;
}): Promise<void> {
  const { actor, accountId } = options;
  const actorRole = await getAccountRole({ actor, accountId });
  if (!actorRole) throw new AppError("NOT_FOUND", "Account not found.");
  const { userId } = parseInput(removeMemberSchema, options.input);
  const leaving = userId === actor.userId;
  if (leaving) requireInteractive(actor, "make you leave an account");
  if (!leaving && !canRemoveMembers(actorRole)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${actorRole.toLowerCase()}) does not allow you to remove members.`,
    );
  }

  await prisma.$transaction(async (tx) => {
    const membership = await tx.membership.findUnique({
      where: { userId_accountId: { userId, accountId } },
      include: { user: { select: { email: true } }, account: { select: { name: true } } },
    });
    if (!membership) throw new AppError("NOT_FOUND", "Member not found.");
    if (membership.role === "OWNER") {
      throw new AppError(
        "CONFLICT",
        leaving
          ? "Transfer the ownership to another member before leaving."
          : "The owner cannot be removed. The owner can transfer ownership first.",
      );
    }
    if (!leaving && roleStrength(membership.role) > roleStrength(actorRole)) {
      throw new AppError("FORBIDDEN", "You cannot remove a member whose role is stronger than yours.");
    }
    await tx.membership.delete({ where: { id: membership.id } });
    // A removed member's open sessions end now, not when their JWT expires; they sign in again to
    // reach the accounts they still belong to. Leaving of one's own accord signs nobody out.
    if (!leaving) await revokeUserSessions({ userId, db: tx });
    await appendChange(tx, {
      kind: "Membership",
      objectId: membership.id,
      accountId,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { userId, role: membership.role },
      summary: leaving
        ? `${membership.user.email} left ${membership.account.name}`
        : `Removed ${membership.user.email} (${membership.role.toLowerCase()}) from ${membership.account.name}`,
    });
  });
  log.info("member removed", {
    event: "membership.removed",
    accountId,
    memberId: userId,
    userId: actor.userId,
  });
}
