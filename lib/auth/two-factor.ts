/**
 * The second step of signing in, for lib/auth/options.ts `authorize`: after the password, an
 * enrolled user needs a current TOTP code, an unused recovery code, or a browser they chose to
 * remember (an httpOnly cookie naming a RememberedDevice row).
 */
import { cookies } from "next/headers";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import { isRememberedDevice } from "@/lib/services/two-factor/is-remembered-device";
import { REMEMBERED_DEVICE_DAYS, rememberDevice } from "@/lib/services/two-factor/remember-device";
import { verifySecondFactor } from "@/lib/services/two-factor/verify-second-factor";
import { signInSecondFactorSchema } from "@/lib/validation/two-factor";

export const REMEMBERED_DEVICE_COOKIE = "sitepod-remembered-device";

/** One cookie's value from a Cookie header (next-auth passes the request's headers as a record). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export type SecondFactorOutcome = "passed" | "required" | "invalid";

/**
 * Whether the user, whose password is already verified, passes the second factor with what the
 * sign-in form sent (`code`, `rememberDevice`) and the request's cookies. Consumes the code; on
 * success with "remember this device" ticked, sets the device cookie on the response.
 */
export async function checkSignInSecondFactor(options: {
  userId: string;
  credentials: Record<string, unknown> | undefined;
  cookieHeader: string | undefined;
}): Promise<SecondFactorOutcome> {
  const user = await prisma.user.findUnique({
    where: { id: options.userId },
    select: { twoFactorEnabledAt: true },
  });
  if (!user?.twoFactorEnabledAt) return "passed";

  const parsed = signInSecondFactorSchema.safeParse(options.credentials ?? {});
  const { code, rememberDevice: remember } = parsed.success
    ? parsed.data
    : { code: undefined, rememberDevice: false };
  if (!code) {
    const token = cookieValue(options.cookieHeader, REMEMBERED_DEVICE_COOKIE);
    return (await isRememberedDevice({ userId: options.userId, token })) ? "passed" : "required";
  }
  const result = await verifySecondFactor({ userId: options.userId, code });
  if (!result.ok) {
    log.info("second factor rejected", {
      event: "auth.two_factor_failed",
      userId: options.userId,
      reason: result.reason,
    });
    return "invalid";
  }
  if (result.method === "recovery-code") {
    log.warn("signed in with a recovery code", { event: "auth.recovery_code_used", userId: options.userId });
  }
  if (remember) {
    const device = await rememberDevice({ userId: options.userId });
    (await cookies()).set(REMEMBERED_DEVICE_COOKIE, device.token, {
      httpOnly: true,
      sameSite: "lax",
      secure: (process.env.NEXTAUTH_URL ?? "").startsWith("https://"),
      path: "/",
      maxAge: REMEMBERED_DEVICE_DAYS * 24 * 60 * 60,
    });
  }
  return "passed";
}
