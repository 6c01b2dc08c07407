import { createHash, randomBytes } from "node:crypto";
import type { EmailToken, EmailTokenPurpose, Prisma } from "@/lib/generated/prisma/client";
import { panelOrigin } from "@/lib/security/origin";

/** 32 random bytes as base64url (43 characters): goes into the mailed link, never stored. */
export function generateEmailToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What is stored and looked up: a leaked database holds no usable link. */
export function hashEmailToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The page a mailed link opens, on the panel's configured URL (never the request's Host). */
export function emailLink(kind: "reset-password" | "verify-email", token: string): string {
  return `${panelOrigin()}/${kind}/${token}`;
}

/**
 * Makes a link of `purpose` for the user, inside the caller's transaction, and answers its token.
 * Earlier unused links of the same purpose stop working: only the newest mail counts.
 */
export async function issueEmailToken(
  tx: Prisma.TransactionClient,
  options: { userId: string; purpose: EmailTokenPurpose; email: string; validMinutes: number; now: Date },
): Promise<string> {
  const { userId, purpose, email, now } = options;
  await tx.emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } });
  const token = generateEmailToken();
  await tx.emailToken.create({
    data: {
      userId,
      purpose,
      email,
      tokenHash: hashEmailToken(token),
      expiresAt: new Date(now.getTime() + options.validMinutes * 60_000),
      createdAt: now,
    },
  });
  return token;
}

function usable(row: EmailToken | null, purpose: EmailTokenPurpose, now: Date): row is EmailToken {
  return row !== null && row.purpose === purpose && row.usedAt === null && row.expiresAt > now;
}

/** The link's row while it may still be used (a read only: for the page that opens it). */
export async function findUsableEmailToken(
  db: Prisma.TransactionClient,
  options: { token: string; purpose: EmailTokenPurpose; now: Date },
): Promise<EmailToken | null> {
  const row = await db.emailToken.findUnique({ where: { tokenHash: hashEmailToken(options.token) } });
  return usable(row, options.purpose, options.now) ? row : null;
}

/**
 * Uses up a link inside the caller's transaction and answers its row, or null for a link that is
 * unknown, of another purpose, used, superseded or expired. The guarded update makes two concurrent
 * uses of one link succeed once.
 */
export async function claimEmailToken(
  tx: Prisma.TransactionClient,
  options: { token: string; purpose: EmailTokenPurpose; now: Date },
): Promise<EmailToken | null> {
  const row = await findUsableEmailToken(tx, options);
  if (!row) return null;
  const claimed = await tx.emailToken.updateMany({
    where: { id: row.id, usedAt: null },
    data: { usedAt: options.now },
  });
  return claimed.count === 1 ? row : null;
}

/** Ends every unused link of the user (of one purpose, or all): after a password or email change. */
export async function supersedeEmailTokens(
  tx: Prisma.TransactionClient,
  options: { userId: string; purpose?: EmailTokenPurpose; now: Date },
): Promise<void> {
  await tx.emailToken.updateMany({
    where: { userId: options.userId, usedAt: null, ...(options.purpose ? { purpose: options.purpose } : {}) },
    data: { usedAt: options.now },
  });
}
