/**
 * Reseller allotments: a reseller (or agency) holds an allotment and hands it out as the plans of
 * the accounts below it. The sum of those plans' limits may not exceed the allotment times its
 * oversell ratio (1.0 = no overselling, the default).
 */
import type { LimitViolation } from "@/lib/quota/limits";
import { formatLimit, LIMIT_KEYS, type Limits } from "@/lib/validation/plan";

export interface AllotmentLimits extends Limits {
  oversellRatio: number;
}

/** What may be handed out in total for each limit: the allotment times the oversell ratio, rounded down. */
export function allotmentCapacity(allotment: AllotmentLimits): Limits {
  const ratio = Math.max(1, allotment.oversellRatio);
  // The epsilon undoes binary rounding: 100 * 1.15 is 114.99999999999999 in floating point, and
  // a ratio of 1.15 on 100 sites must allow 115.
  return Object.fromEntries(
    LIMIT_KEYS.map((key) => [key, Math.floor(allotment[key] * ratio + 1e-9)]),
  ) as Limits;
}

export interface AllotmentCheck {
  allotment: AllotmentLimits;
  /** Sum of the plans' limits of the accounts below the holder, as they are now. */
  handedOut: Limits;
  /** The plan being replaced (null when the account had none) ... */
  removing: Limits | null;
  /** ... and the plan replacing it (null when the plan is taken away). */
  adding: Limits | null;
}

/**
 * The limits the change would push past the allotment. A limit whose total does not grow is
 * never refused, so a reseller that is already over (its allotment was lowered) can still move
 * customers to smaller plans.
 */
export function allotmentViolations(check: AllotmentCheck): LimitViolation[] {
  const capacity = allotmentCapacity(check.allotment);
  const violations: LimitViolation[] = [];
  for (const key of LIMIT_KEYS) {
    const current = check.handedOut[key];
    const requested = current - (check.removing?.[key] ?? 0) + (check.adding?.[key] ?? 0);
    if (requested > current && requested > capacity[key]) {
      violations.push({
        key,
        limit: capacity[key],
        current,
        requested,
        message: `${formatLimit(key, capacity[key])} may be handed out, ${current} already ${current === 1 ? "is" : "are"}, and this change needs ${requested - current} more`,
      });
    }
  }
  return violations;
}

/** "The allotment of Reseller One is exhausted: 100 sites may be handed out, ... Ask your provider ..." */
export function allotmentMessage(holderName: string, violations: LimitViolation[]): string {
  return `The allotment of ${holderName} is exhausted: ${violations
    .map((v) => v.message)
    .join("; ")}. Choose a smaller plan or ask your provider for a larger allotment.`;
}
