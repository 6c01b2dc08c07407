import { createHash, randomBytes } from "node:crypto";
import { prisma } from "@/lib/db";

export const REMEMBERED_DEVICE_DAYS = 30;

export function hashDeviceToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Remembers a browser for REMEMBERED_DEVICE_DAYS after a sign-in that passed the second factor.
 * Answers the token for the cookie (only its sha256 is stored) and when it expires.
 */
export async function rememberDevice(options: {
  userId: string;
  now?: Date;
}): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + REMEMBERED_DEVICE_DAYS * 24 * 60 * 60 * 1000);
  // Expired rows of this user go on the way.
  await prisma.rememberedDevice.deleteMany({ where: { userId: options.userId, expiresAt: { lte: now } } });
  await prisma.rememberedDevice.create({
    data: { userId: options.userId, tokenHash: hashDeviceToken(token), expiresAt },
  });
  return { token, expiresAt };
}
