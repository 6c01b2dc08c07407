import { describeUserAgent } from "@/lib/auth/user-sessions";
import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { parseInput } from "@/lib/validation/parse-input";
import { endSessionSchema } from "@/lib/validation/session";

/**
 * Ends one of the caller's sessions (the current one included: that is signing out). Another
 * user's session, an ended one and a made-up id all answer NOT_FOUND alike.
 */
export async function endUserSession(options: {
  actor: Actor;
  /** Untrusted: { sessionId }. */
  input: unknown;
}): Promise<void> {
  const { actor } = options;
  requireInteractive(actor, "end sessions");
  const { sessionId } = parseInput(endSessionSchema, options.input);
  await prisma.$transaction(async (tx) => {
    const row = await tx.userSession.findFirst({
      where: { id: sessionId, userId: actor.userId },
      select: { userAgent: true, ip: true },
    });
    const ended = row ? await revokeUserSessions({ userId: actor.userId, sessionId, db: tx }) : 0;
    if (!row || ended === 0) throw new AppError("NOT_FOUND", "Session not found. It may have ended already.");
    await appendChange(tx, {
      kind: "UserSession",
      objectId: sessionId,
      accountId: null,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      summary: `Ended a session (${describeUserAgent(row.userAgent)}${row.ip ? `, ${row.ip}` : ""})`,
    });
  });
  log.info("session ended", { event: "auth.session_ended", userId: actor.userId, sessionId });
}
