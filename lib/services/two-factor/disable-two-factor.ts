import { verifyPassword } from "@/lib/auth/password";
import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { clearTwoFactor } from "@/lib/services/two-factor/clear-two-factor";
import { getTwoFactorRequirement } from "@/lib/services/two-factor/get-two-factor-requirement";
import { verifySecondFactor } from "@/lib/services/two-factor/verify-second-factor";
import { parseInput } from "@/lib/validation/parse-input";
import { disableTwoFactorSchema } from "@/lib/validation/two-factor";

export const TWO_FACTOR_REQUIRED_BY_ACCOUNT =
  "An account you belong to requires two-factor sign-in, so it cannot be turned off. To move to another app, regenerate your recovery codes or ask your platform operator to reset it.";

/**
 * Turns the caller's two-factor sign-in off, proven by their password and a current code (or a
 * recovery code). Refused while an account they belong to requires it.
 */
export async function disableTwoFactor(options: {
  actor: Actor;
  /** Untrusted: { password, code }. */
  input: unknown;
}): Promise<{ enabled: false }> {
  const { actor } = options;
  requireInteractive(actor, "turn off two-factor sign-in");
  const { password, code } = parseInput(disableTwoFactorSchema, options.input);
  const user = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { passwordHash: true, twoFactorEnabledAt: true },
  });
  if (!user) throw new AppError("NOT_FOUND", "User not found.");
  if (!user.twoFactorEnabledAt) throw new AppError("CONFLICT", "Two-factor sign-in is already off.");
  if ((await getTwoFactorRequirement({ userId: actor.userId })).required) {
    throw new AppError("FORBIDDEN", TWO_FACTOR_REQUIRED_BY_ACCOUNT);
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", {
      password: "That password is not correct.",
    });
  }
  const second = await verifySecondFactor({ userId: actor.userId, code });
  if (!second.ok) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", {
      code: "That code is not valid. Enter the current 6-digit code from your authenticator app, or a recovery code.",
    });
  }
  await prisma.$transaction(async (tx) => {
    await clearTwoFactor(tx, actor.userId);
    await appendOwnUserChange(tx, actor, {
      data: { twoFactor: "disabled" },
      summary: "Turned off two-factor sign-in",
    });
  });
  log.info("two-factor sign-in disabled", { event: "auth.two_factor_disabled", userId: actor.userId });
  return { enabled: false };
}
