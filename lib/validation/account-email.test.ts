import { describe, expect, it } from "vitest";
import {
  changeEmailSchema,
  requestPasswordResetSchema,
  resetPasswordSchema,
  updateProfileSchema,
  verifyEmailSchema,
} from "./account-email";

const TOKEN = `${"A".repeat(42)}_`;
const messages = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("account email schemas", () => {
  it("normalises the address a reset link is asked for", () => {
    expect(requestPasswordResetSchema.parse({ email: " Ann@Example.TEST " })).toEqual({
      email: "ann@example.test",
    });
    expect(messages(requestPasswordResetSchema.safeParse({ email: "ann" }))).toEqual({
      email: "Enter a valid email address.",
    });
  });

  it("takes a mailed token and a new password typed twice", () => {
    expect(
      resetPasswordSchema.parse({
        token: ` ${TOKEN} `,
        newPassword: "long enough!",
        confirmPassword: "long enough!",
      }),
    ).toEqual({ token: TOKEN, newPassword: "long enough!", confirmPassword: "long enough!" });
    expect(
      messages(resetPasswordSchema.safeParse({ token: "x", newPassword: "short", confirmPassword: "other" })),
    ).toEqual({
      token: "This reset link is not valid.",
      newPassword: "Use at least 10 characters.",
      confirmPassword: "The two new passwords differ. Type the same one twice.",
    });
    expect(
      messages(
        resetPasswordSchema.safeParse({
          token: TOKEN,
          newPassword: "long enough!",
          confirmPassword: "other",
        }),
      ),
    ).toEqual({ confirmPassword: "The two new passwords differ. Type the same one twice." });
    expect(messages(verifyEmailSchema.safeParse({ token: `${TOKEN}=` }))).toEqual({
      token: "This confirmation link is not valid.",
    });
  });

  it("needs the current password to change the address, and a visible name", () => {
    expect(messages(changeEmailSchema.safeParse({ email: "new@example.test", currentPassword: "" }))).toEqual(
      {
        currentPassword: "Enter your current password.",
      },
    );
    expect(updateProfileSchema.parse({ name: "  Ann  " })).toEqual({ name: "Ann" });
    expect(messages(updateProfileSchema.safeParse({ name: " " }))).toEqual({ name: "Enter your name." });
  });
});
