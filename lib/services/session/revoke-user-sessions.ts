import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Revokes a user's live sessions (all of them, one, or all but one) inside the caller's transaction
 * when given one. Returns how many were live and are now revoked. The caller authorizes.
 */
export async function revokeUserSessions(options: {
  userId: string;
  /** Only this session. */
  sessionId?: string;
  /** Every session but this one (the caller's own, kept signed in). */
  exceptSessionId?: string | null;
  db?: Prisma.TransactionClient;
  now?: Date;
}): Promise<number> {
  const now = options.now ?? new Date();
  const db = options.db ?? prisma;
  const result = await db.userSession.updateMany({
    where: {
      userId: options.userId,
      revokedAt: null,
      expiresAt: { gt: now },
      ...(options.sessionId ? { id: options.sessionId } : {}),
      ...(options.exceptSessionId ? { id: { not: options.exceptSessionId } } : {}),
    },
    data: { revokedAt: now },
  });
  return result.count;
}
