/** Session and password schemas, shared by the forms, the server actions and the REST routes. */
import { z } from "zod";
import { PASSWORD_MIN_LENGTH, passwordSchema } from "@/lib/validation/user";

export const SESSION_ID_PATTERN = /^[0-9a-f]{32}$/;

export const endSessionSchema = z.object({
  sessionId: z
    .string({ error: "Name the session to end." })
    .regex(SESSION_ID_PATTERN, { error: "This is not a session id." }),
});

export type EndSessionInput = z.output<typeof endSessionSchema>;

export const endOtherSessionsSchema = z.object({});

export const changePasswordSchema = z
  .object({
    currentPassword: z
      .string({ error: "Enter your current password." })
      .min(1, { error: "Enter your current password." })
      .max(1024, { error: "Use at most 1024 characters." }),
    newPassword: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    error: "The two new passwords differ. Type the same one twice.",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    error: "Choose a password different from the current one.",
  });

export type ChangePasswordFormValues = z.input<typeof changePasswordSchema>;

export { PASSWORD_MIN_LENGTH };
