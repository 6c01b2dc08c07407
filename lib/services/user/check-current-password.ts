import { verifyPassword } from "@/lib/auth/password";
import { signInThrottle } from "@/lib/auth/sign-in-throttle-store";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";

const WRONG_CURRENT = "This is not your current password. Type it again.";
const TOO_MANY = "Too many wrong passwords. Wait a few minutes, then try again.";

/**
 * Checks the password a signed-in user typed to confirm a change of their own (password, email
 * address), or throws with a message for the `currentPassword` field. Wrong ones count like failed
 * sign-ins (the same throttle, per email and address): a stolen session must not become a way to
 * guess the password.
 */
export async function checkCurrentPassword(options: {
  actor: Actor;
  user: { email: string; passwordHash: string };
  password: string;
}): Promise<void> {
  const throttle = signInThrottle();
  const attempt = { email: options.user.email, ip: options.actor.ip ?? null };
  if ((await throttle.retryAfterSeconds(attempt)) !== null) {
    throw new AppError("LIMIT_EXCEEDED", TOO_MANY, { currentPassword: TOO_MANY });
  }
  if (!(await verifyPassword(options.user.passwordHash, options.password))) {
    await throttle.recordFailure(attempt);
    throw new AppError("INVALID_INPUT", WRONG_CURRENT, { currentPassword: WRONG_CURRENT });
  }
}
