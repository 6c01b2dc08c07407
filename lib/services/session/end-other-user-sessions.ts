import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";

/**
 * Ends every session of the caller but the one making the call ("sign out everywhere else").
 * Returns how many ended; with none to end, nothing is written.
 */
export async function endOtherUserSessions(options: { actor: Actor }): Promise<{ ended: number }> {
  const { actor } = options;
  requireInteractive(actor, "end sessions");
  const ended = await prisma.$transaction(async (tx) => {
    const count = await revokeUserSessions({
      userId: actor.userId,
      exceptSessionId: actor.sessionId ?? null,
      db: tx,
    });
    if (count > 0) {
      await appendOwnUserChange(tx, actor, {
        data: { endedSessions: count },
        summary: `Ended ${count} other ${count === 1 ? "session" : "sessions"}`,
      });
    }
    return count;
  });
  log.info("other sessions ended", { event: "auth.other_sessions_ended", userId: actor.userId, ended });
  return { ended };
}
