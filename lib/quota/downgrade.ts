/**
 * Whether an account fits a new plan: a downgrade below what the account already uses is refused,
 * naming every limit it is over, so the provider knows what the customer must remove first.
 */
import type { LimitViolation, Usage } from "@/lib/quota/limits";
import { formatLimit, LIMIT_KEYS, type Limits } from "@/lib/validation/plan";

/** Every limit of `limits` that `usage` exceeds (empty when the account fits). */
export function downgradeViolations(limits: Limits, usage: Partial<Usage>): LimitViolation[] {
  const violations: LimitViolation[] = [];
  for (const key of LIMIT_KEYS) {
    const current = usage[key] ?? 0;
    if (current > limits[key]) {
      violations.push({
        key,
        limit: limits[key],
        current,
        requested: current,
        message: `it allows ${formatLimit(key, limits[key])} but the account has ${current}`,
      });
    }
  }
  return violations;
}

/**
 * "The plan Starter is too small for Acme: it allows 3 sites but the account has 5; it allows
 * 1 domain but the account has 4. Remove what is over first, or choose a larger plan."
 */
export function downgradeMessage(
  planName: string,
  accountName: string,
  violations: LimitViolation[],
): string {
  return `The plan ${planName} is too small for ${accountName}: ${violations
    .map((v) => v.message)
    .join("; ")}. Remove what is over first, or choose a larger plan.`;
}
