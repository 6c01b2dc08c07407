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

/** An email address as users are known by: trimmed and lower-case. */
export const emailAddressSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .max(254, { error: "Use at most 254 characters." })
  .pipe(z.email({ error: "Enter a valid email address." }));

/** A user's name, as shown to the members of their accounts. */
export const userNameSchema = displayNameSchema({ required: "Enter your name.", max: 120 });

export const registerUserSchema = z.object({
  token: z.string().trim().regex(INVITE_TOKEN_PATTERN, { error: "This invitation link is not valid." }),
  name: userNameSchema,
  email: emailAddressSchema,
  password: passwordSchema,
});

export type RegisterUserFormValues = z.input<typeof registerUserSchema>;
