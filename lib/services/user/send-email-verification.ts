import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { mailThrottle, waitInWords } from "@/lib/mail/mail-throttle";
import { verifyEmailMessage } from "@/lib/mail/messages";
import { MAIL_NOT_CONFIGURED, mailConfigured, sendMail } from "@/lib/mail/send-mail";
import { emailLink, issueEmailToken } from "@/lib/services/user/email-token";
import { EMAIL_VERIFICATION_TTL_MINUTES } from "@/lib/validation/account-email";

/**
 * Mails the user a link that confirms the address they have (after registering, or again from the
 * profile page). Throttled like every mailed link. Resolves once the mail server accepted it.
 */
export async function sendEmailVerification(options: {
  userId: string;
  ip: string | null;
}): Promise<{ email: string; validMinutes: number }> {
  const user = await prisma.user.findUnique({
    where: { id: options.userId },
    select: { email: true, name: true, emailVerifiedAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  if (user.emailVerifiedAt) throw new AppError("CONFLICT", `${user.email} is confirmed already.`);
  if (!mailConfigured()) throw new AppError("UNAVAILABLE", MAIL_NOT_CONFIGURED);
  const throttle = mailThrottle();
  const request = { email: user.email, ip: options.ip };
  const wait = await throttle.retryAfterSeconds(request);
  if (wait !== null) {
    throw new AppError(
      "LIMIT_EXCEEDED",
      `Several confirmation links were sent already. Wait ${waitInWords(wait)}, then ask again, or use the newest one.`,
    );
  }
  await throttle.record(request);
  const token = await prisma.$transaction((tx) =>
    issueEmailToken(tx, {
      userId: options.userId,
      purpose: "VERIFY_EMAIL",
      email: user.email,
      validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
      now: new Date(),
    }),
  );
  await sendMail(
    verifyEmailMessage({
      to: user.email,
      name: user.name,
      link: emailLink("verify-email", token),
      validMinutes: EMAIL_VERIFICATION_TTL_MINUTES,
      change: false,
    }),
    "email_verification",
  );
  log.info("email verification sent", { event: "user.email_verification_sent", userId: options.userId });
  return { email: user.email, validMinutes: EMAIL_VERIFICATION_TTL_MINUTES };
}
