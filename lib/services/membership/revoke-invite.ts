import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { findPendingInvite } from "@/lib/services/membership/find-pending-invite";

/**
 * Withdraws a pending invitation: its link stops working at once (the row goes; the account's audit
 * log keeps the revocation). A user the link already registered keeps their user, without the
 * membership.
 */
export async function revokeInvite(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { inviteId }. */
  input: unknown;
}): Promise<void> {
  const { actor, accountId } = options;
  const invite = await findPendingInvite({
    actor,
    accountId,
    input: options.input,
    action: "revoke invitations",
  });
  await prisma.$transaction(async (tx) => {
    // Guarded: an acceptance that wins the race keeps its invitation and its membership.
    const deleted = await tx.invite.deleteMany({ where: { id: invite.id, acceptedAt: null } });
    if (deleted.count !== 1) {
      throw new AppError("NOT_FOUND", "Invitation not found. It may have been accepted or revoked.");
    }
    await appendChange(tx, {
      kind: "Invite",
      objectId: invite.id,
      accountId,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { role: invite.role, email: invite.email },
      summary: `Revoked the invitation of ${invite.email ?? "someone (by link)"} to ${invite.account.name} as ${invite.role.toLowerCase()}`,
    });
  });
  log.info("invite revoked", {
    event: "invite.revoked",
    inviteId: invite.id,
    accountId,
    userId: actor.userId,
  });
}
