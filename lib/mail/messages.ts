/**
 * The mail Sitepod sends, as plain text and HTML. Pure functions of what each message says: every
 * value that comes from a user (names, account names, addresses) is escaped in the HTML and kept to
 * one line in the subject, so nobody can put markup or headers into another person's mail.
 */

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

const ROLE_NAMES = { OWNER: "owner", ADMIN: "admin", DEVELOPER: "developer", VIEWER: "viewer" } as const;

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** One line, at most `max` characters: what a user typed never breaks a subject or a greeting. */
export function oneLine(value: string, max = 120): string {
  const flat = value.replace(/[\r\n\t\u2028\u2029]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function duration(minutes: number): string {
  if (minutes % (24 * 60) === 0) {
    const days = minutes / (24 * 60);
    return days === 1 ? "24 hours" : `${days} days`;
  }
  if (minutes % 60 === 0) {
    const hours = minutes / 60;
    return hours === 1 ? "1 hour" : `${hours} hours`;
  }
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

interface Part {
  /** Paragraphs of plain text; shown escaped in the HTML. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Small print under the action. */
  footnote?: string;
}

/** The plain-text and HTML bodies of one message. */
function render(greeting: string, part: Part): { text: string; html: string } {
  const text = [
    greeting,
    "",
    ...part.paragraphs.flatMap((p) => [p, ""]),
    ...(part.action ? [`${part.action.label}: ${part.action.url}`, ""] : []),
    ...(part.footnote ? [part.footnote, ""] : []),
    "— Sitepod",
  ].join("\n");
  const p = (body: string) => `<p style="margin:0 0 16px;line-height:1.5">${body}</p>`;
  const button = part.action
    ? `<p style="margin:24px 0"><a href="${escapeHtml(part.action.url)}" style="display:inline-block;padding:10px 18px;border-radius:8px;background:#2b59d9;color:#ffffff;text-decoration:none;font-weight:600">${escapeHtml(part.action.label)}</a></p>` +
      p(
        `Or open this address: <a href="${escapeHtml(part.action.url)}" style="color:#2b59d9;word-break:break-all">${escapeHtml(part.action.url)}</a>`,
      )
    : "";
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:24px;background:#f4f4f5;font-family:ui-sans-serif,system-ui,-apple-system,'Segoe UI',sans-serif;color:#18181b">
<div style="max-width:560px;margin:0 auto;padding:24px;border:1px solid #e4e4e7;border-radius:12px;background:#ffffff">
${p(escapeHtml(greeting))}
${part.paragraphs.map((text) => p(escapeHtml(text))).join("\n")}
${button}
${part.footnote ? `<p style="margin:0 0 16px;line-height:1.5;font-size:13px;color:#52525b">${escapeHtml(part.footnote)}</p>` : ""}
<p style="margin:0;color:#52525b">— Sitepod</p>
</div></body></html>
`;
  return { text, html };
}

function greet(name: string | null): string {
  const clean = name ? oneLine(name, 60) : "";
  return clean ? `Hello ${clean},` : "Hello,";
}

export function passwordResetMessage(options: {
  to: string;
  name: string;
  link: string;
  validMinutes: number;
}): MailMessage {
  return {
    to: options.to,
    subject: "Reset your Sitepod password",
    ...render(greet(options.name), {
      paragraphs: [
        `Someone (hopefully you) asked to reset the password of your Sitepod user ${options.to}.`,
        `The link below lets you choose a new one. It works once, for ${duration(options.validMinutes)}. Choosing a new password signs you out everywhere.`,
      ],
      action: { label: "Choose a new password", url: options.link },
      footnote:
        "If you did not ask for this, ignore this mail: your password stays as it is and nobody can use the link without this mailbox.",
    }),
  };
}

export function passwordChangedMessage(options: {
  to: string;
  name: string;
  /** How: through a link sent by mail, or on the profile page with the old password. */
  by: "reset" | "profile";
  signInUrl: string;
}): MailMessage {
  return {
    to: options.to,
    subject: "Your Sitepod password was changed",
    ...render(greet(options.name), {
      paragraphs: [
        options.by === "reset"
          ? `The password of your Sitepod user ${options.to} was just reset with a link sent to this address. Every browser that was signed in has been signed out.`
          : `The password of your Sitepod user ${options.to} was just changed on the profile page. Every other browser that was signed in has been signed out.`,
        "If that was not you, reset your password now with “Forgot your password?” on the sign-in page, and tell your provider.",
      ],
      action: { label: "Go to the sign-in page", url: options.signInUrl },
    }),
  };
}

export function verifyEmailMessage(options: {
  to: string;
  name: string;
  link: string;
  validMinutes: number;
  /** The user asked to change their address to this one (else: confirming the one they have). */
  change: boolean;
}): MailMessage {
  return {
    to: options.to,
    subject: options.change ? "Confirm your new Sitepod email address" : "Confirm your Sitepod email address",
    ...render(greet(options.name), {
      paragraphs: [
        options.change
          ? `You asked to use ${options.to} for your Sitepod user. It takes effect once you confirm it here; until then your old address stays in use.`
          : `Please confirm that ${options.to} is your email address, so that Sitepod can reach you (password resets, invitations).`,
        `The link works once, for ${duration(options.validMinutes)}.`,
      ],
      action: { label: "Confirm this address", url: options.link },
      footnote: "If you did not ask for this, ignore this mail: nothing changes without the link.",
    }),
  };
}

/** Sent instead of a confirmation link when someone asks to move to an address that already has a user. */
export function emailTakenMessage(options: { to: string; signInUrl: string }): MailMessage {
  return {
    to: options.to,
    subject: "Someone tried to use your address on Sitepod",
    ...render(greet(null), {
      paragraphs: [
        `A Sitepod user asked to change their email address to ${options.to}. This address already belongs to a Sitepod user, so nothing was changed.`,
        "If that was you, sign in with this address instead. Otherwise you need not do anything.",
      ],
      action: { label: "Go to the sign-in page", url: options.signInUrl },
    }),
  };
}

/** To the old address, once a change of address has been confirmed from the new one. */
export function emailChangedMessage(options: { to: string; name: string; newEmail: string }): MailMessage {
  return {
    to: options.to,
    subject: "Your Sitepod email address was changed",
    ...render(greet(options.name), {
      paragraphs: [
        `The email address of your Sitepod user is now ${options.newEmail} (it was ${options.to}). Sign in with the new address from now on; Sitepod sends no more mail here.`,
        "If that was not you, tell your provider at once.",
      ],
    }),
  };
}

export function inviteMessage(options: {
  to: string;
  inviterName: string;
  inviterEmail: string;
  accountName: string;
  role: keyof typeof ROLE_NAMES;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const account = oneLine(options.accountName, 120);
  const inviter = `${oneLine(options.inviterName, 60)} (${options.inviterEmail})`;
  return {
    to: options.to,
    subject: `You are invited to ${account} on Sitepod`,
    ...render(greet(null), {
      paragraphs: [
        `${inviter} invites you to join ${account} on Sitepod as ${ROLE_NAMES[options.role]}.`,
        `Open the link to accept. If you have no Sitepod user yet, you create one there. The link works until ${options.expiresAt.toUTCString()} and can be used once.`,
      ],
      action: { label: `Join ${account}`, url: options.link },
      footnote: "If you did not expect this invitation, ignore this mail: nobody joins without the link.",
    }),
  };
}
