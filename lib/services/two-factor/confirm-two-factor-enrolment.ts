import { checkTotp } from "@/lib/auth/totp";
import { requireInteractive } from "@/lib/authz/interactive";
import { open } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { replaceRecoveryCodes } from "@/lib/services/two-factor/replace-recovery-codes";
import { parseInput } from "@/lib/validation/parse-input";
import { confirmTwoFactorSchema } from "@/lib/validation/two-factor";

export const INVALID_ENROLMENT_CODE =
  "That code does not match. Check that your authenticator app shows Sitepod, then enter its current 6-digit code.";

/**
 * Turns two-factor sign-in on once the caller proves their app holds the pending secret: the code's
 * step is recorded (it cannot sign in again) and ten recovery codes are made. Answers the codes,
 * which are shown once.
 */
export async function confirmTwoFactorEnrolment(options: {
  actor: Actor;
  /** Untrusted: { code }. */
  input: unknown;
  now?: Date;
}): Promise<{ recoveryCodes: string[] }> {
  const { actor } = options;
  requireInteractive(actor, "set up two-factor sign-in");
  const { code } = parseInput(confirmTwoFactorSchema, options.input);
  const now = options.now ?? new Date();
  const user = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { twoFactorEnabledAt: true, twoFactorSecretCiphertext: true },
  });
  if (!user) throw new AppError("NOT_FOUND", "User not found.");
  if (user.twoFactorEnabledAt) throw new AppError("CONFLICT", "Two-factor sign-in is already on.");
  if (!user.twoFactorSecretCiphertext) {
    throw new AppError("CONFLICT", "Start the set-up first: choose Set up two-factor sign-in.");
  }
  const check = checkTotp({
    secretBase32: open(user.twoFactorSecretCiphertext),
    code,
    now: now.getTime(),
    lastStep: null,
  });
  if (!check.ok)
    throw new AppError("INVALID_INPUT", INVALID_ENROLMENT_CODE, { code: INVALID_ENROLMENT_CODE });

  const recoveryCodes = await prisma.$transaction(async (tx) => {
    // Guarded by the secret checked above: a concurrent restart of the enrolment wins, not this.
    const enabled = await tx.user.updateMany({
      where: {
        id: actor.userId,
        twoFactorEnabledAt: null,
        twoFactorSecretCiphertext: user.twoFactorSecretCiphertext,
      },
      data: { twoFactorEnabledAt: now, twoFactorLastStep: check.step },
    });
    if (enabled.count === 0) {
      throw new AppError("CONFLICT", "The set-up changed in the meantime. Reload the page and start again.");
    }
    const codes = await replaceRecoveryCodes(tx, actor.userId);
    await appendOwnUserChange(tx, actor, {
      data: { twoFactor: "enabled" },
      summary: "Turned on two-factor sign-in",
    });
    return codes;
  });
  log.info("two-factor sign-in enabled", { event: "auth.two_factor_enabled", userId: actor.userId });
  return { recoveryCodes };
}
