import { sessionState, shouldTouch } from "@/lib/auth/user-sessions";
import { prisma } from "@/lib/db";

/**
 * The session a request presents, if it is still good: one primary-key read per request, plus a
 * lastSeenAt write at most once a minute. Null for a session that is missing, revoked, expired or
 * not the user's (a token naming someone else's session is as good as none).
 */
export async function findActiveUserSession(options: {
  sessionId: string;
  userId: string;
  now?: Date;
}): Promise<{ id: string; userId: string } | null> {
  const now = options.now ?? new Date();
  const row = await prisma.userSession.findUnique({
    where: { id: options.sessionId },
    select: { id: true, userId: true, revokedAt: true, expiresAt: true, lastSeenAt: true },
  });
  if (!row || row.userId !== options.userId || sessionState(row, now) !== "active") return null;
  if (shouldTouch(row.lastSeenAt, now)) {
    // The guard keeps concurrent requests from all writing the same minute.
    await prisma.userSession.updateMany({
      where: { id: row.id, lastSeenAt: row.lastSeenAt },
      data: { lastSeenAt: now },
    });
  }
  return { id: row.id, userId: row.userId };
}
