import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { mailThrottle, waitInWords } from "@/lib/mail/mail-throttle";
import { passwordResetMessage } from "@/lib/mail/messages";
import { MAIL_NOT_CONFIGURED, mailConfigured, sendMailInBackground } from "@/lib/mail/send-mail";
import { emailLink, issueEmailToken } from "@/lib/services/user/email-token";
import { PASSWORD_RESET_TTL_MINUTES, requestPasswordResetSchema } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";

export interface PasswordResetRequested {
  email: string;
  validMinutes: number;
}

/**
 * "Forgot your password?": mails a single-use link (valid PASSWORD_RESET_TTL_MINUTES) to the
 * address, if a user has it. The answer is the same whether or not one does, and comes as fast:
 * the mail goes out in the background. Requests are throttled per address and per client
 * (mail-throttle.ts) whether or not the address has a user, so a refusal reveals nothing either.
 * The returned promise `delivery` is for tests; callers answer without waiting for it.
 */
export async function requestPasswordReset(options: {
  /** Untrusted: { email }. */
  input: unknown;
  /** The client address, for the throttle. */
  ip: string | null;
}): Promise<PasswordResetRequested & { delivery: Promise<void> }> {
  const { email } = parseInput(requestPasswordResetSchema, options.input);
  if (!mailConfigured()) throw new AppError("UNAVAILABLE", MAIL_NOT_CONFIGURED);
  const throttle = mailThrottle();
  const request = { email, ip: options.ip };
  const wait = await throttle.retryAfterSeconds(request);
  if (wait !== null) {
    const message = `Too many reset links were asked for. Wait ${waitInWords(wait)}, then try again, or use the link already sent.`;
    throw new AppError("LIMIT_EXCEEDED", message, { email: message });
  }
  await throttle.record(request);

  const user = await prisma.user.findUnique({ where: { email }, select: { id: true, name: true } });
  let delivery = Promise.resolve();
  if (user) {
    const now = new Date();
    const token = await prisma.$transaction((tx) =>
      issueEmailToken(tx, {
        userId: user.id,
        purpose: "PASSWORD_RESET",
        email,
        validMinutes: PASSWORD_RESET_TTL_MINUTES,
        now,
      }),
    );
    delivery = sendMailInBackground(
      passwordResetMessage({
        to: email,
        name: user.name,
        link: emailLink("reset-password", token),
        validMinutes: PASSWORD_RESET_TTL_MINUTES,
      }),
      "password_reset",
    );
  }
  // The log says whether a link was made (for operators); the answer does not.
  log.info("password reset requested", { event: "user.password_reset_requested", userId: user?.id ?? null });
  return { email, validMinutes: PASSWORD_RESET_TTL_MINUTES, delivery };
}
