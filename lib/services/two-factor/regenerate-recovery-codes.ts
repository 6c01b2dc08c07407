import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { replaceRecoveryCodes } from "@/lib/services/two-factor/replace-recovery-codes";
import { verifySecondFactor } from "@/lib/services/two-factor/verify-second-factor";
import { parseInput } from "@/lib/validation/parse-input";
import { regenerateRecoveryCodesSchema } from "@/lib/validation/two-factor";

/**
 * Replaces the caller's recovery codes with ten fresh ones (the old ones stop working), proven by a
 * current authenticator code. Answers the new codes, shown once.
 */
export async function regenerateRecoveryCodes(options: {
  actor: Actor;
  /** Untrusted: { code }. */
  input: unknown;
}): Promise<{ recoveryCodes: string[] }> {
  const { actor } = options;
  requireInteractive(actor, "replace recovery codes");
  const { code } = parseInput(regenerateRecoveryCodesSchema, options.input);
  const second = await verifySecondFactor({ userId: actor.userId, code });
  if (!second.ok) {
    if (second.reason === "not-enrolled") throw new AppError("CONFLICT", "Two-factor sign-in is off.");
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", {
      code: "That code is not valid. Enter the current 6-digit code from your authenticator app.",
    });
  }
  const recoveryCodes = await prisma.$transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, actor.userId);
    await appendOwnUserChange(tx, actor, {
      data: { twoFactor: "recovery-codes-regenerated" },
      summary: "Regenerated two-factor recovery codes",
    });
    return codes;
  });
  log.info("recovery codes regenerated", { event: "auth.recovery_codes_regenerated", userId: actor.userId });
  return { recoveryCodes };
}
