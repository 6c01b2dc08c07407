/**
 * The user's own things that go through email: the profile (name, email address), forgotten
 * passwords and email confirmation. Shared by the forms, the server actions and the services;
 * messages are shown next to the fields as they are.
 */
import { z } from "zod";
import { emailAddressSchema, passwordSchema, userNameSchema } from "@/lib/validation/user";

/** How long a password reset link works. */
export const PASSWORD_RESET_TTL_MINUTES = 60;
/** How long an email confirmation link works. */
export const EMAIL_VERIFICATION_TTL_MINUTES = 24 * 60;

/** 32 random bytes, base64url without padding: the links Sitepod mails. */
export const EMAIL_LINK_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const linkTokenSchema = (message: string) =>
  z.string({ error: message }).trim().regex(EMAIL_LINK_TOKEN_PATTERN, { error: message });

const currentPasswordSchema = z
  .string({ error: "Enter your current password." })
  .min(1, { error: "Enter your current password." })
  .max(1024, { error: "Use at most 1024 characters." });

/** "Forgot your password?": the address to send a link to. */
export const requestPasswordResetSchema = z.object({ email: emailAddressSchema });

export const resetPasswordSchema = z
  .object({
    token: linkTokenSchema("This reset link is not valid."),
    newPassword: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    error: "The two new passwords differ. Type the same one twice.",
  });

export const verifyEmailSchema = z.object({ token: linkTokenSchema("This confirmation link is not valid.") });

export const updateProfileSchema = z.object({ name: userNameSchema });

/** A new address takes effect once confirmed from a link sent to it; the password proves it is you. */
export const changeEmailSchema = z.object({
  email: emailAddressSchema,
  currentPassword: currentPasswordSchema,
});

export const resendVerificationSchema = z.object({});

export type RequestPasswordResetFormValues = z.input<typeof requestPasswordResetSchema>;
export type ResetPasswordFormValues = z.input<typeof resetPasswordSchema>;
export type ChangeEmailFormValues = z.input<typeof changeEmailSchema>;
