import { createTransport, type Transporter } from "nodemailer";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { MailMessage } from "@/lib/mail/messages";
import { mailFrom, parseSmtpUrl, redactSmtpUrl } from "@/lib/mail/smtp-config";
import { panelUrl } from "@/lib/security/origin";

/** What the user is told when no SMTP server is configured. */
export const MAIL_NOT_CONFIGURED =
  "This Sitepod cannot send email: no mail server is set up. Ask your provider to set SITEPOD_SMTP_URL.";
/** What the user is told when the SMTP server refused or did not answer (details go to the log). */
export const MAIL_NOT_SENT =
  "The email could not be sent: the mail server did not accept it. Try again in a few minutes; if it keeps failing, tell your provider.";

/** Whether Sitepod has an SMTP server to send through (SITEPOD_SMTP_URL). */
export function mailConfigured(): boolean {
  return Boolean(process.env.SITEPOD_SMTP_URL?.trim());
}

const globalForMail = globalThis as unknown as { sitepodMailer?: { url: string; transporter: Transporter } };

/** One transporter per SMTP URL (a connection per message: Sitepod sends little mail). */
function transporter(): Transporter {
  const url = process.env.SITEPOD_SMTP_URL?.trim();
  if (!url) throw new AppError("UNAVAILABLE", MAIL_NOT_CONFIGURED);
  const cached = globalForMail.sitepodMailer;
  if (cached?.url === url) return cached.transporter;
  cached?.transporter.close();
  const settings = parseSmtpUrl(url);
  const created = createTransport({
    ...settings,
    // A mail server that hangs must not hold a request for minutes.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  globalForMail.sitepodMailer = { url, transporter: created };
  return created;
}

/**
 * Sends one message through the configured SMTP server and resolves once the server accepted it.
 * Throws AppError UNAVAILABLE when no server is configured or it refused the message (logged with
 * the server's answer; the message's links are secrets and never logged). `kind` names the message
 * in logs ("password_reset", "invite").
 */
export async function sendMail(message: MailMessage, kind: string): Promise<void> {
  const mailer = transporter();
  const started = Date.now();
  try {
    const info = await mailer.sendMail({
      from: mailFrom(process.env.SITEPOD_MAIL_FROM, panelUrl().hostname),
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    });
    log.info("mail sent", { event: "mail.sent", kind, messageId: info.messageId, ms: Date.now() - started });
  } catch (err) {
    log.error("mail not sent", {
      event: "mail.failed",
      kind,
      smtp: redactSmtpUrl(process.env.SITEPOD_SMTP_URL ?? ""),
      err,
    });
    throw new AppError("UNAVAILABLE", MAIL_NOT_SENT, undefined, { cause: err });
  }
}

/**
 * Sends without making the caller wait, for answers that must not depend on whether a mail went out
 * (a password reset for an address that may have no user answers as fast either way). Failures are
 * logged by sendMail. Returns the delivery, for tests and callers that do want to wait.
 */
export function sendMailInBackground(message: MailMessage, kind: string): Promise<void> {
  return sendMail(message, kind).catch(() => {});
}
