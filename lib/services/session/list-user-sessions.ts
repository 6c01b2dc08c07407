import { describeUserAgent } from "@/lib/auth/user-sessions";
import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";

export interface UserSessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  /** "Firefox on Linux". */
  browser: string;
  /** The session this request came through. */
  current: boolean;
}

/** The caller's live sessions, most recently seen first. A user only ever sees their own. */
export async function listUserSessions(options: { actor: Actor; now?: Date }): Promise<UserSessionView[]> {
  const { actor } = options;
  requireInteractive(actor, "list your sessions");
  const rows = await prisma.userSession.findMany({
    where: { userId: actor.userId, revokedAt: null, expiresAt: { gt: options.now ?? new Date() } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: 200,
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ip: row.ip,
    browser: describeUserAgent(row.userAgent),
    current: row.id === actor.sessionId,
  }));
}
