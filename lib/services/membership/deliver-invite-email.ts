import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { inviteMessage } from "@/lib/mail/messages";
import { sendMail } from "@/lib/mail/send-mail";
import { panelOrigin } from "@/lib/security/origin";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { hashInviteToken } from "@/lib/services/membership/invite-token";

/** The page an invitation link opens, on the panel's configured URL. */
export function inviteLink(token: string): string {
  return `${panelOrigin()}/invite/${token}`;
}

/**
 * Mails an invitation's link to its address, then records that it did (emailedAt and a change-log
 * row for the account's audit log). The caller has authorized. With `newLink`, the mail carries a
 * new link that replaces the invitation's current one only once the mail server accepted it: a
 * resend that fails leaves the old link working. Throws AppError UNAVAILABLE when the mail could
 * not be sent (nothing recorded then), CONFLICT when the invitation was accepted or revoked while
 * the mail went out.
 */
export async function deliverInviteEmail(options: {
  actor: Actor;
  invite: { id: string; accountId: string; role: Role; email: string; expiresAt: Date };
  accountName: string;
  /** The link's token: the current one (just created) or, with newLink, the replacement. */
  token: string;
  newLink?: { expiresAt: Date };
}): Promise<{ emailedAt: Date; expiresAt: Date }> {
  const { actor, invite, newLink } = options;
  const inviter = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { name: true, email: true },
  });
  if (!inviter) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  const expiresAt = newLink?.expiresAt ?? invite.expiresAt;
  await sendMail(
    inviteMessage({
      to: invite.email,
      inviterName: inviter.name,
      inviterEmail: inviter.email,
      accountName: options.accountName,
      role: invite.role,
      link: inviteLink(options.token),
      expiresAt,
    }),
    newLink ? "invite_resent" : "invite",
  );
  const emailedAt = new Date();
  await prisma.$transaction(async (tx) => {
    const updated = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null },
      data: { emailedAt, ...(newLink ? { tokenHash: hashInviteToken(options.token), expiresAt } : {}) },
    });
    if (updated.count !== 1) {
      throw new AppError("CONFLICT", "This invitation was accepted or revoked meanwhile. Reload the page.");
    }
    await appendChange(tx, {
      kind: "Invite",
      objectId: invite.id,
      accountId: invite.accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: {
        emailedAt: emailedAt.toISOString(),
        expiresAt: expiresAt.toISOString(),
        newLink: Boolean(newLink),
      },
      summary: newLink
        ? `Resent the invitation of ${invite.email} to ${options.accountName} by email, with a new link (the previous one no longer works)`
        : `Sent the invitation link to ${invite.email} by email`,
    });
  });
  return { emailedAt, expiresAt };
}
