import { hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { verifyEmailMessage } from "@/lib/mail/messages";
import { mailConfigured, sendMailInBackground } from "@/lib/mail/send-mail";
import { appendChange } from "@/lib/services/change-log/append-change";
import { hashInviteToken } from "@/lib/services/membership/invite-token";
import { emailLink, issueEmailToken } from "@/lib/services/user/email-token";
import { EMAIL_VERIFICATION_TTL_MINUTES } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";
import { registerUserSchema } from "@/lib/validation/user";

const INVALID_LINK = "This invitation link is not valid or has expired. Ask for a new one.";

/**
 * Creates a user for someone holding a pending invitation: Sitepod has no open sign-up, so the
 * link is what entitles an anonymous visitor to a user, and it does so once (marked in the same
 * transaction, by a guarded update, so two concurrent registrations with one link create one
 * user). The invitation itself is accepted afterwards, signed in, by accept-invite.
 *
 * An email that already has a user gets the same answer as a new one (and costs the same password
 * hash), so the form does not reveal who has an account: that user is left unchanged, the link is
 * used up for registering just the same, and the invitation stays pending for them to accept once
 * signed in with their own password.
 *
 * A new user is sent a link that confirms their address (in the background, where Sitepod can send
 * mail); the existing user of a taken address is sent nothing.
 */
export async function registerUser(options: {
  /** Untrusted: { token, name, email, password }. */
  input: unknown;
  /** The client address, for the invitation's audit trail. */
  ip?: string | null;
}): Promise<{ email: string }> {
  const input = parseInput(registerUserSchema, options.input);
  const tokenHash = hashInviteToken(input.token);
  const usable = (now: Date) => ({ registeredAt: null, acceptedAt: null, expiresAt: { gt: now } });
  // A cheap look first: a made-up link does not get to cost a password hash.
  const pending = await prisma.invite.findFirst({
    where: { tokenHash, ...usable(new Date()) },
    select: { id: true },
  });
  if (!pending) throw new AppError("NOT_FOUND", INVALID_LINK);
  const passwordHash = await hashPassword(input.password);
  const now = new Date();

  const { created, verification } = await prisma.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({
      where: { tokenHash },
      select: { id: true, accountId: true, account: { select: { terminationRequestedAt: true } } },
    });
    if (!invite || invite.account.terminationRequestedAt) throw new AppError("NOT_FOUND", INVALID_LINK);
    // Only one registration gets past this, however many run at once.
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, ...usable(now) },
      data: { registeredAt: now },
    });
    if (claimed.count !== 1) throw new AppError("NOT_FOUND", INVALID_LINK);
    // INSERT IGNORE: an existing email creates nothing, without failing the transaction.
    const { count } = await tx.user.createMany({
      data: [{ email: input.email, name: input.name, passwordHash }],
      skipDuplicates: true,
    });
    // Made here, so that nothing is written after the answer; only the mail goes out later.
    const verification =
      count === 1 && mailConfigured()
        ? await issueEmailToken(tx, {
            userId: (await tx.user.findUniqueOrThrow({ where: { email: input.email }, select: { id: true } }))
              .id,
            purpose: "VERIFY_EMAIL",
            email: input.email,
            validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
            now,
          })
        : null;
    // The same row for both outcomes: the inviter's audit log does not reveal accounts either.
    await appendChange(tx, {
      kind: "Invite",
      objectId: invite.id,
      accountId: invite.accountId,
      action: "UPDATED",
      actorIp: options.ip ?? null,
      data: { registeredAt: now.toISOString() },
      summary: "The invitation link was used to register",
    });
    return { created: count === 1, verification };
  });
  if (verification) {
    void sendMailInBackground(
      verifyEmailMessage({
        to: input.email,
        name: input.name,
        link: emailLink("verify-email", verification),
        validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
        change: false,
      }),
      "email_verification",
    );
  }
  log.info(created ? "user registered" : "registration for an existing email", {
    event: created ? "user.registered" : "user.register_existing",
  });
  return { email: input.email };
}
