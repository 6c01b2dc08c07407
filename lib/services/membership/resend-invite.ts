import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { type CreatedInvite, toInviteView } from "@/lib/services/membership/create-invite";
import { deliverInviteEmail } from "@/lib/services/membership/deliver-invite-email";
import { findPendingInvite } from "@/lib/services/membership/find-pending-invite";
import { generateInviteToken } from "@/lib/services/membership/invite-token";
import { INVITE_TTL_DAYS } from "@/lib/validation/membership";

/** A second mail to one person is fine; a stream of them is not. */
export const RESEND_INTERVAL_MS = 60_000;

/**
 * Mails a pending invitation again, with a new link valid for INVITE_TTL_DAYS from now (expired
 * ones included: resending revives them). Only the token's hash is stored, so the old link cannot
 * be sent again; it stops working once the new one has been accepted by the mail server.
 */
export async function resendInvite(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { inviteId }. */
  input: unknown;
}): Promise<CreatedInvite> {
  const { actor, accountId } = options;
  const invite = await findPendingInvite({
    actor,
    accountId,
    input: options.input,
    action: "resend invitations",
  });
  if (invite.account.terminationRequestedAt) {
    throw new AppError("CONFLICT", `${invite.account.name} is being terminated.`);
  }
  const email = invite.email;
  if (!email) {
    throw new AppError(
      "CONFLICT",
      "This invitation names no email address to send it to. Revoke it and invite again with the address.",
    );
  }
  if (invite.emailedAt && Date.now() - invite.emailedAt.getTime() < RESEND_INTERVAL_MS) {
    throw new AppError(
      "LIMIT_EXCEEDED",
      `The invitation was sent to ${email} less than a minute ago. Give it a moment to arrive before sending it again.`,
    );
  }
  const token = generateInviteToken();
  const { emailedAt, expiresAt } = await deliverInviteEmail({
    actor,
    invite: { ...invite, email },
    accountName: invite.account.name,
    token,
    newLink: { expiresAt: new Date(Date.now() + INVITE_TTL_DAYS * 24 * 60 * 60 * 1000) },
  });
  log.info("invite resent", { event: "invite.resent", inviteId: invite.id, accountId, userId: actor.userId });
  return { invite: toInviteView({ ...invite, emailedAt, expiresAt }), token };
}
