/**
 * TOTP (RFC 6238) and recovery codes, pure: no database, no clock but the one passed in.
 * Codes are 6 digits over 30-second steps with HMAC-SHA1, what every authenticator app expects.
 */
import { createHash, randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

const ISSUER = "Sitepod";
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** One step either side: tolerates 30 s of clock skew and a code typed just as it rolled over. */
export const TOTP_WINDOW = 1;

function totp(secretBase32: string, label = ISSUER): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: "SHA1",
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A fresh 160-bit secret (RFC 4226's recommended length), base32 as authenticator apps take it. */
export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI a QR code carries: the app files it as "Sitepod (<email>)". */
export function totpUri(options: { secretBase32: string; email: string }): string {
  return totp(options.secretBase32, options.email).toString();
}

/** The code an app shows at `timestamp` (ms); for tests and the e2e spec's own authenticator. */
export function totpCode(options: { secretBase32: string; timestamp: number }): string {
  return totp(options.secretBase32).generate({ timestamp: options.timestamp });
}

/** The time step (30-second period number) of a timestamp in ms. */
export function totpStep(timestamp: number): number {
  return TOTP.counter({ period: PERIOD_SECONDS, timestamp });
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "invalid" | "replayed" };

/**
 * Whether `code` is valid at `now` within ±TOTP_WINDOW steps and newer than `lastStep`, the step of
 * the last code accepted: a code (or an older one) is never accepted twice, so an observed code
 * cannot be replayed. The caller stores the returned step atomically (see consume-totp-code.ts).
 */
export function checkTotp(options: {
  secretBase32: string;
  code: string;
  now: number;
  lastStep: number | null;
}): TotpCheck {
  const code = normaliseTotpCode(options.code);
  if (!/^\d{6}$/.test(code)) return { ok: false, reason: "invalid" };
  const delta = totp(options.secretBase32).validate({
    token: code,
    timestamp: options.now,
    window: TOTP_WINDOW,
  });
  if (delta === null) return { ok: false, reason: "invalid" };
  const step = totpStep(options.now) + delta;
  if (options.lastStep !== null && step <= options.lastStep) return { ok: false, reason: "replayed" };
  return { ok: true, step };
}

/** Apps show "123 456"; people paste with spaces. */
export function normaliseTotpCode(code: string): string {
  return code.replace(/[\s-]/g, "");
}

/** Whether the text looks like a 6-digit TOTP code rather than a recovery code. */
export function looksLikeTotpCode(code: string): boolean {
  return /^\d{6}$/.test(normaliseTotpCode(code));
}

export const RECOVERY_CODE_COUNT = 10;
// Lower-case letters and digits without the look-alikes 0/o, 1/l/i: easy to copy from paper.
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

/** `count` fresh codes "xxxxx-xxxxx" (about 49 bits each, drawn without modulo bias). */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  const codes: string[] = [];
  while (codes.length < count) {
    let chars = "";
    while (chars.length < 10) {
      for (const byte of randomBytes(16)) {
        // 248 = 8 * 31: bytes above it would favour the first letters.
        if (byte < 248 && chars.length < 10) chars += RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length];
      }
    }
    const code = `${chars.slice(0, 5)}-${chars.slice(5)}`;
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** The stored form of a recovery code: sha256 of its canonical text (case, spaces, dashes ignored). */
export function hashRecoveryCode(code: string): string {
  const canonical = code.toLowerCase().replace(/[\s-]/g, "");
  return createHash("sha256").update(canonical).digest("hex");
}
