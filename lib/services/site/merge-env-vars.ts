import { seal } from "@/lib/crypto/secret-box";
import { AppError } from "@/lib/errors";
import type { EnvVarInput, StoredEnvVar } from "@/lib/validation/site-settings";

/**
 * The variables to store from the form's: plain values as they are, secret values sealed. A
 * secret sent without a value keeps the one stored under its name (it must have one: a variable
 * that was plain, or new, needs its value).
 */
export function mergeEnvVars(
  current: readonly StoredEnvVar[],
  input: readonly EnvVarInput[],
): StoredEnvVar[] {
  const byName = new Map(current.map((v) => [v.name, v]));
  const fieldErrors: Record<string, string> = {};
  const merged = input.flatMap((v, index): StoredEnvVar[] => {
    if (!v.secret) return [{ name: v.name, secret: false, value: v.value ?? "" }];
    if (v.value !== undefined) return [{ name: v.name, secret: true, sealed: seal(v.value) }];
    const kept = byName.get(v.name);
    if (kept?.secret) return [{ name: v.name, secret: true, sealed: kept.sealed }];
    fieldErrors[`env.${index}.value`] = "Enter the secret's value.";
    return [];
  });
  if (Object.keys(fieldErrors).length > 0) {
    throw new AppError("INVALID_INPUT", "Some fields are not valid.", fieldErrors);
  }
  return merged;
}
