import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { finishImpersonation } from "@/lib/services/impersonation/finish-impersonation";

/**
 * Revokes a user's live sessions (all of them, one, or all but one) inside the caller's transaction
 * when given one. Returns how many were live and are now revoked. A support session one of them was
 * in ends with it (sign-out, a password change, "sign out everywhere else"), recorded as such in the
 * accounts it concerned. The caller authorizes.
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
  const where = {
    userId: options.userId,
    revokedAt: null,
    expiresAt: { gt: now },
    ...(options.sessionId ? { id: options.sessionId } : {}),
    ...(options.exceptSessionId ? { id: { not: options.exceptSessionId } } : {}),
  };
  const inSupport = await db.userSession.findMany({
    where: { ...where, impersonationId: { not: null } },
    select: { impersonationId: true },
  });
  for (const { impersonationId } of inSupport) {
    if (impersonationId) {
      await finishImpersonation({ impersonationId, reason: "signed-out", now, db: options.db });
    }
  }
  const result = await db.userSession.updateMany({ where, data: { revokedAt: now } });
  return result.count;
}
