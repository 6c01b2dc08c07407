import { hashPassword } from "@/lib/auth/password";
import { signInThrottle } from "@/lib/auth/sign-in-throttle-store";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { passwordChangedMessage } from "@/lib/mail/messages";
import { sendMailInBackground } from "@/lib/mail/send-mail";
import { panelOrigin } from "@/lib/security/origin";
import { appendChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { claimEmailToken, findUsableEmailToken, supersedeEmailTokens } from "@/lib/services/user/email-token";
import { resetPasswordSchema } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";

export const INVALID_RESET_LINK =
  "This reset link is not valid: it was used already, a newer one was sent, or it expired. Ask for a new one.";

/**
 * Sets a new password with a link from requestPasswordReset. The link works once (claimed by a
 * guarded update in the same transaction as the new password) and ends with every other unused
 * reset link of the user; every session of the user ends, wherever it was. Proving the mailbox
 * also confirms the address. The user is told by mail (in the background).
 */
export async function resetPassword(options: {
  /** Untrusted: { token, newPassword, confirmPassword }. */
  input: unknown;
  ip: string | null;
}): Promise<{ email: string; endedSessions: number }> {
  const input = parseInput(resetPasswordSchema, options.input);
  // A cheap look first: a made-up link does not get to cost a password hash.
  const pending = await findUsableEmailToken(prisma, {
    token: input.token,
    purpose: "PASSWORD_RESET",
    now: new Date(),
  });
  if (!pending) throw new AppError("NOT_FOUND", INVALID_RESET_LINK);
  const passwordHash = await hashPassword(input.newPassword);
  const now = new Date();

  const result = await prisma.$transaction(async (tx) => {
    const link = await claimEmailToken(tx, { token: input.token, purpose: "PASSWORD_RESET", now });
    if (!link) throw new AppError("NOT_FOUND", INVALID_RESET_LINK);
    const user = await tx.user.findUnique({
      where: { id: link.userId },
      select: { id: true, email: true, name: true, emailVerifiedAt: true },
    });
    // An address changed since the link was sent: the link went to a mailbox that is no longer theirs.
    if (!user || user.email !== link.email) throw new AppError("NOT_FOUND", INVALID_RESET_LINK);
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, ...(user.emailVerifiedAt ? {} : { emailVerifiedAt: now }) },
    });
    await supersedeEmailTokens(tx, { userId: user.id, purpose: "PASSWORD_RESET", now });
    const ended = await revokeUserSessions({ userId: user.id, db: tx, now });
    const actor = {
      kind: "User",
      objectId: user.id,
      accountId: null,
      actorUserId: user.id,
      actorIp: options.ip,
    };
    await appendChange(tx, {
      ...actor,
      action: "UPDATED",
      data: { passwordReset: true, endedSessions: ended },
      summary: `Reset the password with a link sent to ${user.email} and ended ${ended} ${ended === 1 ? "session" : "sessions"}`,
    });
    if (!user.emailVerifiedAt) {
      await appendChange(tx, {
        ...actor,
        action: "UPDATED",
        data: { emailVerified: true },
        summary: `Confirmed the email address ${user.email} (by a password reset link)`,
      });
    }
    return { user, ended };
  });

  const { user, ended } = result;
  // They proved the mailbox from here: earlier wrong guesses from this address no longer delay them.
  await signInThrottle().recordSuccess({ email: user.email, ip: options.ip });
  void sendMailInBackground(
    passwordChangedMessage({
      to: user.email,
      name: user.name,
      by: "reset",
      signInUrl: `${panelOrigin()}/sign-in`,
    }),
    "password_changed",
  );
  log.info("password reset", { event: "user.password_reset", userId: user.id, endedSessions: ended });
  return { email: user.email, endedSessions: ended };
}
