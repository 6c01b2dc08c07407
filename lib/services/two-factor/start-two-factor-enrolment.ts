import QRCode from "qrcode";
import { generateTotpSecret, totpUri } from "@/lib/auth/totp";
import { requireInteractive } from "@/lib/authz/interactive";
import { seal } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";

export interface TwoFactorEnrolmentView {
  /** Base32, for typing into an app that cannot scan; shown during enrolment only. */
  secret: string;
  /** The otpauth:// URI the QR code carries. */
  uri: string;
  /** The QR code as SVG markup, rendered on the server. */
  qrSvg: string;
}

/**
 * Starts (or restarts) enrolment of the caller's authenticator: a fresh secret is stored sealed
 * and shown once. It counts only after confirmTwoFactorEnrolment proves the app holds it; until
 * then sign-in is unchanged. An enrolled user must turn two-factor sign-in off first.
 */
export async function startTwoFactorEnrolment(options: { actor: Actor }): Promise<TwoFactorEnrolmentView> {
  const { actor } = options;
  requireInteractive(actor, "set up two-factor sign-in");
  const secret = generateTotpSecret();
  const user = await prisma.user.findUnique({ where: { id: actor.userId }, select: { email: true } });
  if (!user) throw new AppError("NOT_FOUND", "User not found.");
  const stored = await prisma.user.updateMany({
    where: { id: actor.userId, twoFactorEnabledAt: null },
    data: { twoFactorSecretCiphertext: seal(secret), twoFactorLastStep: null },
  });
  if (stored.count === 0) {
    throw new AppError(
      "CONFLICT",
      "Two-factor sign-in is already on. Turn it off first to set up another app.",
    );
  }
  const uri = totpUri({ secretBase32: secret, email: user.email });
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qrSvg };
}
