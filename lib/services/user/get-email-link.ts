import { prisma } from "@/lib/db";
import type { EmailTokenPurpose } from "@/lib/generated/prisma/client";
import { findUsableEmailToken } from "@/lib/services/user/email-token";
import { EMAIL_LINK_TOKEN_PATTERN } from "@/lib/validation/account-email";

export interface EmailLinkPreview {
  /** Where the link was sent: the address the page names. */
  email: string;
  /** For a confirmation link: it changes the user's address (else it confirms the one they have). */
  changesEmail: boolean;
}

/**
 * What a mailed link opens, for its page; null for a link that is malformed, unknown, used,
 * superseded or expired (one answer for all). A read only: opening the page uses nothing up, so a
 * mail scanner that follows links cannot spend them; the page's form does.
 */
export async function getEmailLink(options: {
  token: string;
  purpose: EmailTokenPurpose;
}): Promise<EmailLinkPreview | null> {
  if (!EMAIL_LINK_TOKEN_PATTERN.test(options.token)) return null;
  const row = await findUsableEmailToken(prisma, { ...options, now: new Date() });
  if (!row) return null;
  const user = await prisma.user.findUnique({ where: { id: row.userId }, select: { email: true } });
  if (!user) return null;
  if (options.purpose === "PASSWORD_RESET" && user.email !== row.email) return null;
  return { email: row.email, changesEmail: user.email !== row.email };
}
