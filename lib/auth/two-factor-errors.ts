/**
 * What sign-in answers when the second factor is missing or wrong: next-auth hands the thrown
 * message to the sign-in form as `error`. Pure, so that the form can import it.
 */

/** The password was right and the user has two-factor sign-in: ask for a code. */
export const TWO_FACTOR_REQUIRED = "TwoFactorRequired";
/** A code was given and it is not valid (wrong, used before, or a used recovery code). */
export const TWO_FACTOR_INVALID = "TwoFactorInvalid";

export const INVALID_TWO_FACTOR_CODE =
  "That code is not valid. Enter the current 6-digit code from your authenticator app, or a recovery code.";
