/** Registering a user through an invitation link; shared by the form and the server action. */
import { z } from "zod";
import { displayNameSchema } from "@/lib/validation/display-name";
import { INVITE_TOKEN_PATTERN } from "@/lib/validation/membership";

export const PASSWORD_MIN_LENGTH = 10;

/** A new password: at registration and when changing it. */
export const passwordSchema = z
  .string({ error: "Choose a password." })
  .min(PASSWORD_MIN_LENGTH, { error: `Use at least ${PASSWORD_MIN_LENGTH} characters.` })
  .max(200, { error: "Use at most 200 characters." });

export const registerUserSchema = z.object({
  token: z.string().trim().regex(INVITE_TOKEN_PATTERN, { error: "This invitation link is not valid." }),
  name: displayNameSchema({ required: "Enter your name.", max: 120 }),
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .toLowerCase()
    .max(254, { error: "Use at most 254 characters." })
    .pipe(z.email({ error: "Enter a valid email address." })),
  password: passwordSchema,
});

export type RegisterUserFormValues = z.input<typeof registerUserSchema>;
