import { sessionState, shouldTouch } from "@/lib/auth/user-sessions";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import { finishImpersonation } from "@/lib/services/impersonation/finish-impersonation";
import {
  type TwoFactorColumns,
  type TwoFactorRequirement,
  twoFactorColumnsSql,
  twoFactorOf,
} from "@/lib/services/two-factor/get-two-factor-requirement";

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
  /**
   * The session's own user's two-factor requirement (in a support session the operator's: they
   * are the person at the keyboard), read with the session for lib/auth/session.ts to decide on.
   */
  twoFactor: TwoFactorRequirement;
}

interface SessionRow extends TwoFactorColumns {
  id: string;
  userId: string;
  revokedAt: Date | null;
  expiresAt: Date;
  lastSeenAt: Date;
  email: string;
  name: string;
  supportId: string | null;
  supportOperatorUserId: string | null;
  supportReason: string | null;
  supportExpiresAt: Date | null;
  supportEndedAt: Date | null;
  operatorName: string | null;
  targetId: string | null;
  targetEmail: string | null;
  targetName: string | null;
}

/**
 * The session a request presents, if it is still good: one statement per request (the session by
 * its primary key, with the user's current email and name, which the session token may hold stale
 * copies of, the support session it is in, if any, with its people, and the user's two-factor
 * requirement), plus a lastSeenAt write at most once a minute. Null for a session that is missing,
 * revoked, expired or not the user's (a token naming someone else's session is as good as none). A
 * support session past its time is ended here, at the first request that finds it so.
 */
export async function findActiveUserSession(options: {
  sessionId: string;
  userId: string;
  now?: Date;
}): Promise<ActiveUserSession | null> {
  const now = options.now ?? new Date();
  const rows = await prisma.$queryRaw<SessionRow[]>`
    SELECT s.id, s.userId, s.revokedAt, s.expiresAt, s.lastSeenAt, u.email, u.name,
      ${twoFactorColumnsSql("u")},
      i.id AS supportId, i.operatorUserId AS supportOperatorUserId, i.reason AS supportReason,
      i.expiresAt AS supportExpiresAt, i.endedAt AS supportEndedAt, op.name AS operatorName,
      tg.id AS targetId, tg.email AS targetEmail, tg.name AS targetName
    FROM UserSession s
    JOIN User u ON u.id = s.userId
    LEFT JOIN Impersonation i ON i.id = s.impersonationId
    LEFT JOIN User op ON op.id = i.operatorUserId
    LEFT JOIN User tg ON tg.id = i.targetUserId
    WHERE s.id = ${options.sessionId}`;
  const row = rows[0];
  if (!row || row.userId !== options.userId || sessionState(row, now) !== "active") return null;
  await touchSession(row, now);
  let impersonation: ActiveImpersonation | null = null;
  const support = supportOf(row);
  if (support && supportSessionInEffect(support, row.userId)) {
    if (support.expiresAt.getTime() > now.getTime()) {
      impersonation = {
        id: support.id,
        operatorUserId: support.operatorUserId,
        operatorName: support.operatorName,
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
  return {
    id: row.id,
    userId: row.userId,
    user: { email: row.email, name: row.name },
    impersonation,
    twoFactor: twoFactorOf(row),
  };
}

/** The support session the row points at, with its people (null: none). */
function supportOf(row: SessionRow): (ActiveImpersonation & { endedAt: Date | null }) | null {
  const { supportId, supportOperatorUserId, supportReason, supportExpiresAt, targetId } = row;
  if (!supportId || !supportOperatorUserId || supportReason === null || !supportExpiresAt || !targetId) {
    return null;
  }
  return {
    id: supportId,
    operatorUserId: supportOperatorUserId,
    operatorName: row.operatorName ?? "",
    reason: supportReason,
    expiresAt: supportExpiresAt,
    endedAt: row.supportEndedAt,
    target: { id: targetId, email: row.targetEmail ?? "", name: row.targetName ?? "" },
  };
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
