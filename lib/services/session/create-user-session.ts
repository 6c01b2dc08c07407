import { newSessionId, truncateUserAgent } from "@/lib/auth/user-sessions";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";

/** Rows stay this long after they expire (for the user's own history), then go at their next sign-in. */
const KEEP_EXPIRED_MS = 30 * 24 * 3_600_000;

/** Records a new signed-in browser; its id goes into the session JWT as `sid`. */
export async function createUserSession(options: {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** The JWT's maxAge: the row expires with the token. */
  maxAgeSeconds: number;
  now?: Date;
}): Promise<string> {
  const now = options.now ?? new Date();
  const row = await prisma.userSession.create({
    data: {
      id: newSessionId(),
      userId: options.userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + options.maxAgeSeconds * 1000),
      ip: options.ip ? options.ip.slice(0, 45) : null,
      userAgent: truncateUserAgent(options.userAgent),
    },
    select: { id: true },
  });
  await prisma.userSession.deleteMany({
    where: { userId: options.userId, expiresAt: { lt: new Date(now.getTime() - KEEP_EXPIRED_MS) } },
  });
  log.info("session started", { event: "auth.session_started", userId: options.userId });
  return row.id;
}
