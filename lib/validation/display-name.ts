/**
 * Names people give things and that others are shown (accounts, plans, users). One rule for all
 * of them, so that no name can hide or reorder text where it is shown: the audit log, a provider's
 * list of clients, an invitation.
 */
import { z } from "zod";

export const INVISIBLE_CHARACTER_MESSAGE =
  "Use letters, digits, spaces and punctuation only: this name contains an invisible or control character.";

/**
 * Control (Cc: NUL, tab, newline), format (Cf: bidi overrides and isolates, zero-width space and
 * joiners, byte-order mark), private-use (Co) and surrogate (Cs) characters, line and paragraph
 * separators, and the letters that render as blank (Hangul fillers, the braille blank).
 */
const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800]/u;

/** Why `value` cannot be a display name because of its characters, or null. */
export function displayNameCharacterProblem(value: string): string | null {
  return FORBIDDEN.test(value) ? INVISIBLE_CHARACTER_MESSAGE : null;
}

/**
 * A display name: trimmed, NFC-normalised (so that "é" typed two ways is one name, and the length
 * counted is the one shown), required, at most `max` characters, without control or invisible
 * characters.
 */
export function displayNameSchema(options: { required: string; max: number }) {
  return z
    .string({ error: options.required })
    .trim()
    .normalize("NFC")
    .min(1, { error: options.required })
    .max(options.max, { error: `Use at most ${options.max} characters.` })
    .superRefine((value, ctx) => {
      const problem = displayNameCharacterProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}
