import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { mailThrottle, waitInWords } from "@/lib/mail/mail-throttle";
import { emailTakenMessage, verifyEmailMessage } from "@/lib/mail/messages";
import { MAIL_NOT_CONFIGURED, mailConfigured, sendMail } from "@/lib/mail/send-mail";
import { panelOrigin } from "@/lib/security/origin";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { checkCurrentPassword } from "@/lib/services/user/check-current-password";
import { emailLink, issueEmailToken } from "@/lib/services/user/email-token";
import { changeEmailSchema, EMAIL_VERIFICATION_TTL_MINUTES } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * The caller asks to use another email address. Nothing changes yet: a confirmation link goes to
 * the new address, and the change takes effect when it is used (verify-email.ts); until then the
 * user signs in and gets mail at the old one. The current password proves it is the user, not
 * someone at their unlocked screen.
 *
 * An address that already belongs to another user gets a mail saying so instead of a link, and
 * the caller the same answer as for a free one: the form does not tell who has a Sitepod user.
 */
export async function requestEmailChange(options: {
  actor: Actor;
  /** Untrusted: { email, currentPassword }. */
  input: unknown;
}): Promise<{ email: string; validMinutes: number }> {
  const { actor } = options;
  // The address receives the password reset links: a script must not be able to redirect them.
  requireInteractive(actor, "change your email address");
  const input = parseInput(changeEmailSchema, options.input);
  const user = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { email: true, name: true, passwordHash: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (input.email === user.email) {
    const same = "This is already your email address.";
    throw new AppError("INVALID_INPUT", same, { email: same });
  }
  if (!mailConfigured()) throw new AppError("UNAVAILABLE", MAIL_NOT_CONFIGURED);
  await checkCurrentPassword({ actor, user, password: input.currentPassword });

  const throttle = mailThrottle();
  const request = { email: input.email, ip: actor.ip ?? null };
  const wait = await throttle.retryAfterSeconds(request);
  if (wait !== null) {
    const message = `Too many mails were sent to this address. Wait ${waitInWords(wait)}, then try again.`;
    throw new AppError("LIMIT_EXCEEDED", message, { email: message });
  }
  await throttle.record(request);

  const taken = await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } });
  const now = new Date();
  const token = await prisma.$transaction(async (tx) => {
    const issued = taken
      ? null
      : await issueEmailToken(tx, {
          userId: actor.userId,
          purpose: "VERIFY_EMAIL",
          email: input.email,
          validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
          now,
        });
    // The same row either way.
    await appendOwnUserChange(tx, actor, {
      data: { emailChangeRequested: input.email },
      summary: `Asked to change the email address to ${input.email} (waiting for its confirmation)`,
    });
    return issued;
  });
  await sendMail(
    token
      ? verifyEmailMessage({
          to: input.email,
          name: user.name,
          link: emailLink("verify-email", token),
          validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
          change: true,
        })
      : emailTakenMessage({ to: input.email, signInUrl: `${panelOrigin()}/sign-in` }),
    token ? "email_change" : "email_taken",
  );
  log.info("email change requested", { event: "user.email_change_requested", userId: actor.userId });
  return { email: input.email, validMinutes: EMAIL_VERIFICATION_TTL_MINUTES };
}
