import { sessionState, shouldTouch } from "@/lib/auth/user-sessions";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import { finishImpersonation } from "@/lib/services/impersonation/finish-impersonation";

/** A support session the browser's session is in: its operator acts as `target`. */
export interface ActiveImpersonation {
  id: string;
  operatorUserId: string;
  operatorName: string;
  reason: string;
  expiresAt: Date;
  target: { id: string; email: string; name: string };
}

export interface ActiveUserSession {
  id: string;
  userId: string;
  user: { email: string; name: string };
  /** Set while the session is a support session (lib/services/impersonation/), until it ends. */
  impersonation: ActiveImpersonation | null;
}

/**
 * The session a request presents, if it is still good: one primary-key read per request (with the
 * user's current email and name, which the session token may hold stale copies of, and the support
 * session it is in, if any), plus a lastSeenAt write at most once a minute. Null for a session that
 * is missing, revoked, expired or not the user's (a token naming someone else's session is as good
 * as none). A support session past its time is ended here, at the first request that finds it so.
 */
export async function findActiveUserSession(options: {
  sessionId: string;
  userId: string;
  now?: Date;
}): Promise<ActiveUserSession | null> {
  const now = options.now ?? new Date();
  const row = await prisma.userSession.findUnique({
    where: { id: options.sessionId },
    select: {
      id: true,
      userId: true,
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      user: { select: { email: true, name: true } },
      impersonation: {
        select: {
          id: true,
          operatorUserId: true,
          reason: true,
          expiresAt: true,
          endedAt: true,
          operator: { select: { name: true } },
          target: { select: { id: true, email: true, name: true } },
        },
      },
    },
  });
  if (!row || row.userId !== options.userId || sessionState(row, now) !== "active") return null;
  await touchSession(row, now);
  let impersonation: ActiveImpersonation | null = null;
  const support = row.impersonation;
  if (support && supportSessionInEffect(support, row.userId)) {
    if (support.expiresAt.getTime() > now.getTime()) {
      impersonation = {
        id: support.id,
        operatorUserId: support.operatorUserId,
        operatorName: support.operator.name,
        reason: support.reason,
        expiresAt: support.expiresAt,
        target: support.target,
      };
    } else {
      // Its time is up: the session is the operator's own again, and the customer's audit log says so.
      await finishImpersonation({ impersonationId: support.id, reason: "expired", now }).catch(
        (err: unknown) =>
          log.error("could not end an expired support session", { err, impersonationId: support.id }),
      );
    }
  }
  return { id: row.id, userId: row.userId, user: row.user, impersonation };
}

/** lastSeenAt, at most once a minute; the guard keeps concurrent requests from all writing the same minute. */
async function touchSession(row: { id: string; lastSeenAt: Date }, now: Date): Promise<void> {
  if (!shouldTouch(row.lastSeenAt, now)) return;
  await prisma.userSession.updateMany({
    where: { id: row.id, lastSeenAt: row.lastSeenAt },
    data: { lastSeenAt: now },
  });
}

/** Whether the support session a UserSession points at still makes it act as its target. */
function supportSessionInEffect(
  support: { endedAt: Date | null; operatorUserId: string },
  sessionUserId: string,
): boolean {
  return support.endedAt === null && support.operatorUserId === sessionUserId;
}

/**
 * For requests that stay open (event streams), asked every few seconds: whether the session is
 * still active, and the support session it acts in now (null: none). The same rules as
 * findActiveUserSession in one primary-key read (two in a support session) instead of reading the
 * user and the support session's people; an expired support session reads as none here and is ended
 * by the next ordinary request.
 */
export async function activeSessionState(options: {
  sessionId: string;
  userId: string;
  now?: Date;
}): Promise<{ impersonationId: string | null } | null> {
  const now = options.now ?? new Date();
  const row = await prisma.userSession.findUnique({
    where: { id: options.sessionId },
    select: {
      id: true,
      userId: true,
      revokedAt: true,
      expiresAt: true,
      lastSeenAt: true,
      impersonationId: true,
    },
  });
  if (!row || row.userId !== options.userId || sessionState(row, now) !== "active") return null;
  await touchSession(row, now);
  if (!row.impersonationId) return { impersonationId: null };
  const support = await prisma.impersonation.findUnique({
    where: { id: row.impersonationId },
    select: { endedAt: true, expiresAt: true, operatorUserId: true },
  });
  const inEffect =
    support !== null &&
    supportSessionInEffect(support, row.userId) &&
    support.expiresAt.getTime() > now.getTime();
  return { impersonationId: inEffect ? row.impersonationId : null };
}
