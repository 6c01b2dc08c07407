/**
 * Two-factor sign-in schemas, shared by forms, server actions and REST routes. Messages are shown
 * to users as they are.
 */
import { z } from "zod";

/** A 6-digit code from the authenticator app (spaces allowed, as apps show "123 456"). */
const totpCodeSchema = z
  .string({ error: "Enter the 6-digit code from your authenticator app." })
  .transform((value) => value.replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, { error: "Enter the 6-digit code from your authenticator app." }));

/** A current TOTP code or one of the recovery codes. */
const secondFactorCodeSchema = z
  .string({ error: "Enter the code from your authenticator app or a recovery code." })
  .trim()
  .min(1, { error: "Enter the code from your authenticator app or a recovery code." })
  .max(32, { error: "That code is too long: enter 6 digits or a recovery code." });

export const confirmTwoFactorSchema = z.object({ code: totpCodeSchema });
export type ConfirmTwoFactorInput = z.output<typeof confirmTwoFactorSchema>;

export const disableTwoFactorSchema = z.object({
  password: z.string({ error: "Enter your password." }).min(1, { error: "Enter your password." }).max(1024),
  code: secondFactorCodeSchema,
});
export type DisableTwoFactorInput = z.output<typeof disableTwoFactorSchema>;

export const regenerateRecoveryCodesSchema = z.object({ code: totpCodeSchema });

export const twoFactorPolicySchema = z.object({
  requireTwoFactor: z.boolean({ error: "Say whether two-factor sign-in is required (true or false)." }),
});
export type TwoFactorPolicyInput = z.output<typeof twoFactorPolicySchema>;

/** The sign-in form's optional second factor, as next-auth passes credentials (strings). */
export const signInSecondFactorSchema = z.object({
  code: z
    .string()
    .trim()
    .max(32)
    .optional()
    .transform((value) => (value ? value : undefined)),
  rememberDevice: z
    .string()
    .optional()
    .transform((value) => value === "true"),
});
