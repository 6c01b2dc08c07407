import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { signInThrottle } from "@/lib/auth/sign-in-throttle-store";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { parseInput } from "@/lib/validation/parse-input";
import { changePasswordSchema } from "@/lib/validation/session";

const WRONG_CURRENT = "This is not your current password. Type it again.";
const TOO_MANY = "Too many wrong passwords. Wait a few minutes, then try again.";

/**
 * Changes the caller's password after checking the current one, and ends every other session of
 * theirs: whoever else held one (a stolen cookie, a forgotten browser) is out at once. The session
 * making the change stays signed in. Wrong current passwords count like failed sign-ins (the same
 * throttle, per email and address): a stolen session must not become a way to guess the password.
 */
export async function changePassword(options: {
  actor: Actor;
  /** Untrusted: { currentPassword, newPassword, confirmPassword }. */
  input: unknown;
}): Promise<{ endedSessions: number }> {
  const { actor } = options;
  const input = parseInput(changePasswordSchema, options.input);
  const user = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { passwordHash: true, email: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  const throttle = signInThrottle();
  const attempt = { email: user.email, ip: actor.ip ?? null };
  if ((await throttle.retryAfterSeconds(attempt)) !== null) {
    throw new AppError("LIMIT_EXCEEDED", TOO_MANY, { currentPassword: TOO_MANY });
  }
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await throttle.recordFailure(attempt);
    throw new AppError("INVALID_INPUT", WRONG_CURRENT, { currentPassword: WRONG_CURRENT });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const endedSessions = await prisma.$transaction(async (tx) => {
    // Guarded by the hash just verified: of two concurrent changes, the second finds it gone.
    const updated = await tx.user.updateMany({
      where: { id: actor.userId, passwordHash: user.passwordHash },
      data: { passwordHash },
    });
    if (updated.count !== 1) {
      throw new AppError("CONFLICT", "Your password was changed meanwhile. Reload the page and try again.");
    }
    const ended = await revokeUserSessions({
      userId: actor.userId,
      exceptSessionId: actor.sessionId ?? null,
      db: tx,
    });
    await appendOwnUserChange(tx, actor, {
      data: { passwordChanged: true, endedSessions: ended },
      summary: `Changed the password and ended ${ended} other ${ended === 1 ? "session" : "sessions"}`,
    });
    return ended;
  });
  log.info("password changed", { event: "user.password_changed", userId: actor.userId, endedSessions });
  return { endedSessions };
}
