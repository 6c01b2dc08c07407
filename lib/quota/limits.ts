/**
 * Quota arithmetic for one account: what it uses against what its plan allows. Pure functions;
 * the services measure usage inside their transaction and turn a violation into LIMIT_EXCEEDED.
 */
import { formatLimit, LIMIT_KEYS, type LimitKey, type Limits } from "@/lib/validation/plan";

/** What an account consumes, in the units of its plan's limits. */
export type Usage = Limits;

export interface LimitViolation {
  key: LimitKey;
  limit: number;
  /** Usage now (before the refused change). */
  current: number;
  /** Usage the refused change would have led to. */
  requested: number;
  message: string;
}

/** What the user can do about each limit, completing "Upgrade the plan or ...". */
const REMEDIES: Record<LimitKey, string> = {
  maxSites: "delete a site",
  maxDomains: "remove a domain",
  maxDatabases: "delete a database",
  maxCronJobs: "delete a cron job",
  // Volumes never shrink: only deleting a site gives its storage back.
  storageGiB: "delete a site to free its storage",
  cpuMillicores: "lower the CPU of a site",
  memoryMiB: "lower the memory of a site",
  backupsKept: "delete a backup",
};

export function zeroUsage(): Usage {
  return Object.fromEntries(LIMIT_KEYS.map((key) => [key, 0])) as Usage;
}

/** Fills missing keys with 0, for callers that measure only some resources. */
export function toUsage(partial: Partial<Usage>): Usage {
  return { ...zeroUsage(), ...partial };
}

/** Limits counted in amounts rather than things: a change adds some of them, not one. */
const AMOUNTS: ReadonlySet<LimitKey> = new Set(["storageGiB", "cpuMillicores", "memoryMiB"]);

/**
 * "Your plan allows 3 sites; you have 3. Upgrade the plan or delete a site." A change that adds
 * more than one thing, or an amount, says how much it needs: "you have 2" alone would not explain
 * a refusal under a limit of 3.
 */
export function limitExceededMessage(
  key: LimitKey,
  limit: number,
  current: number,
  requested = current + 1,
): string {
  const needs =
    AMOUNTS.has(key) || requested - current > 1 ? ` and this needs ${requested - current} more` : "";
  return `Your plan allows ${formatLimit(key, limit)}; you have ${current}${needs}. Upgrade the plan or ${REMEDIES[key]}.`;
}

/**
 * The first limit that `adding` would push `usage` over, or null when it fits. `limits` null is
 * an account without a plan: nothing is limited. A change that adds nothing to a key is never
 * refused for that key, even if the account is already over it (after a plan change by the
 * provider), so that users can always shrink.
 */
export function checkAddition(
  limits: Limits | null,
  usage: Partial<Usage>,
  adding: Partial<Usage>,
): LimitViolation | null {
  if (!limits) return null;
  for (const key of LIMIT_KEYS) {
    const delta = adding[key] ?? 0;
    if (delta <= 0) continue;
    const current = usage[key] ?? 0;
    const requested = current + delta;
    if (requested > limits[key]) {
      return {
        key,
        limit: limits[key],
        current,
        requested,
        message: limitExceededMessage(key, limits[key], current, requested),
      };
    }
  }
  return null;
}

export function sumLimits(items: readonly Limits[]): Limits {
  const total = zeroUsage();
  for (const item of items) for (const key of LIMIT_KEYS) total[key] += item[key];
  return total;
}

/** The limit columns of a Plan or Allotment row, without its other fields. */
export function pickLimits(row: Limits): Limits {
  return Object.fromEntries(LIMIT_KEYS.map((key) => [key, row[key]])) as Limits;
}
