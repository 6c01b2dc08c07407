/**
 * How Sitepod reaches its SMTP server: SITEPOD_SMTP_URL, read here into the options nodemailer
 * takes. Pure, so that a wrong URL is refused with a message naming what is wrong.
 *
 *   smtp://[user:password@]host[:port]   plain SMTP, upgraded with STARTTLS when the server offers
 *                                        it (port 587 by default; add ?starttls=required to refuse
 *                                        sending when it does not)
 *   smtps://[user:password@]host[:port]  SMTP over TLS from the first byte (port 465 by default)
 *
 * The user and password are percent-encoded as in any URL (an `@` in a password is `%40`).
 */

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (smtps). */
  secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS. */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
}

export class SmtpConfigError extends Error {
  override name = "SmtpConfigError";
}

const PARAMS = new Set(["starttls"]);

/** The settings in a SITEPOD_SMTP_URL, or SmtpConfigError saying what is wrong with it. */
export function parseSmtpUrl(value: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new SmtpConfigError(
      "SITEPOD_SMTP_URL is not a URL: use smtp://user:password@host:port or smtps://user:password@host:port.",
    );
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new SmtpConfigError(`SITEPOD_SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//.`);
  }
  if (!url.hostname) throw new SmtpConfigError("SITEPOD_SMTP_URL names no host.");
  if (url.pathname && url.pathname !== "/") {
    throw new SmtpConfigError(`SITEPOD_SMTP_URL has a path (${url.pathname}); give only the host and port.`);
  }
  for (const key of url.searchParams.keys()) {
    if (!PARAMS.has(key)) {
      throw new SmtpConfigError(`SITEPOD_SMTP_URL has an unknown setting ?${key}=; only ?starttls=required.`);
    }
  }
  const starttls = url.searchParams.get("starttls");
  if (starttls !== null && starttls !== "required") {
    throw new SmtpConfigError("SITEPOD_SMTP_URL: ?starttls= takes only the value required.");
  }
  const secure = url.protocol === "smtps:";
  if (secure && starttls !== null) {
    throw new SmtpConfigError("SITEPOD_SMTP_URL: smtps:// is TLS from the start; ?starttls= is for smtp://.");
  }
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  let user: string;
  let pass: string;
  try {
    user = decodeURIComponent(url.username);
    pass = decodeURIComponent(url.password);
  } catch {
    throw new SmtpConfigError("SITEPOD_SMTP_URL: the user or password has a malformed %-escape.");
  }
  if (pass && !user) throw new SmtpConfigError("SITEPOD_SMTP_URL has a password but no user.");
  return {
    // IPv6 literals come bracketed from the URL parser; sockets want them bare.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    secure,
    requireTLS: starttls === "required",
    ...(user ? { auth: { user, pass } } : {}),
  };
}

/** The URL with its password masked, for logs and messages. */
export function redactSmtpUrl(value: string): string {
  try {
    const url = new URL(value.trim());
    if (url.password) url.password = "***";
    return url.toString();
  } catch {
    return "(not a URL)";
  }
}

/**
 * The From header: SITEPOD_MAIL_FROM, else "Sitepod <no-reply@<the panel's host name>>", or
 * no-reply@sitepod.local while the panel has no real host name (an address, localhost).
 */
export function mailFrom(setting: string | undefined, panelHostname: string): string {
  const configured = setting?.trim();
  if (configured) return configured;
  const named =
    panelHostname.includes(".") && !/^[\d.]+$/.test(panelHostname) && !panelHostname.includes(":");
  return `Sitepod <no-reply@${named ? panelHostname : "sitepod.local"}>`;
}
