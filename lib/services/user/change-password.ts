import { hashPassword } from "@/lib/auth/password";
import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { passwordChangedMessage } from "@/lib/mail/messages";
import { mailConfigured, sendMailInBackground } from "@/lib/mail/send-mail";
import { panelOrigin } from "@/lib/security/origin";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { revokeUserSessions } from "@/lib/services/session/revoke-user-sessions";
import { checkCurrentPassword } from "@/lib/services/user/check-current-password";
import { supersedeEmailTokens } from "@/lib/services/user/email-token";
import { parseInput } from "@/lib/validation/parse-input";
import { changePasswordSchema } from "@/lib/validation/session";

/**
 * Changes the caller's password after checking the current one, and ends every other session of
 * theirs: whoever else held one (a stolen cookie, a forgotten browser) is out at once. The session
 * making the change stays signed in, unused password reset links stop working, and the user is told
 * by mail (where Sitepod can send it). Wrong current passwords count like failed sign-ins
 * (checkCurrentPassword).
 */
export async function changePassword(options: {
  actor: Actor;
  /** Untrusted: { currentPassword, newPassword, confirmPassword }. */
  input: unknown;
}): Promise<{ endedSessions: number }> {
  const { actor } = options;
  requireInteractive(actor, "change your password");
  const input = parseInput(changePasswordSchema, options.input);
  const user = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { passwordHash: true, email: true, name: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  await checkCurrentPassword({ actor, user, password: input.currentPassword });
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
    await supersedeEmailTokens(tx, { userId: actor.userId, purpose: "PASSWORD_RESET", now: new Date() });
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
  if (mailConfigured()) {
    void sendMailInBackground(
      passwordChangedMessage({
        to: user.email,
        name: user.name,
        by: "profile",
        signInUrl: `${panelOrigin()}/sign-in`,
      }),
      "password_changed",
    );
  }
  log.info("password changed", { event: "user.password_changed", userId: actor.userId, endedSessions });
  return { endedSessions };
}
