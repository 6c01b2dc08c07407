/**
 * Slows down password guessing without letting anyone lock a user out (the arithmetic; the
 * counters live in the database, see sign-in-throttle-store.ts, so that every web process shares
 * them). Two counters per attempt:
 *
 * - per email and client address: a few failures are free, then each failure doubles the wait
 *   before that email may be tried again from that address (15 s, 30 s, ... up to 15 minutes).
 *   Failures from one address never delay the same email from another address, so guessing a
 *   user's password does not lock the user out. Counted whether or not the user exists, so
 *   throttling reveals nothing about accounts;
 * - per client address, whatever the email: a larger budget, against one address trying many
 *   emails.
 *
 * No imports with side effects: the sign-in form (a client component) imports TOO_MANY_ATTEMPTS.
 */

export type ThrottleKind = "EMAIL_AND_ADDRESS" | "ADDRESS";

export interface ThrottleRule {
  /** Failures that cost nothing; the next one starts the delays. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; it doubles with each further one. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** The count starts over once this long has passed since its first failure and no wait runs. */
  windowMs: number;
}

export const THROTTLE_RULES: Record<ThrottleKind, ThrottleRule> = {
  EMAIL_AND_ADDRESS: {
    freeFailures: 4,
    firstDelayMs: 15_000,
    maxDelayMs: 15 * 60_000,
    windowMs: 60 * 60_000,
  },
  ADDRESS: {
    freeFailures: 99,
    firstDelayMs: 15 * 60_000,
    maxDelayMs: 15 * 60_000,
    windowMs: 15 * 60_000,
  },
};

/** One counter as stored. */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  nextAllowedAt: Date;
}

/** False once the state has run its course (and for a placeholder row without failures). */
export function isCurrent(state: ThrottleState | null, rule: ThrottleRule, now: Date): boolean {
  if (!state || state.failures <= 0) return false;
  const windowOver = now.getTime() - state.windowStartedAt.getTime() >= rule.windowMs;
  return !(windowOver && now >= state.nextAllowedAt);
}

/** The wait imposed after the `failures`-th failure of a window. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  const beyond = failures - rule.freeFailures;
  if (beyond <= 0) return 0;
  // 2 ** 40 already exceeds any cap; bounding the exponent keeps the number finite.
  return Math.min(rule.maxDelayMs, rule.firstDelayMs * 2 ** Math.min(beyond - 1, 40));
}

/** The state after one more failure. */
export function afterFailure(state: ThrottleState | null, rule: ThrottleRule, now: Date): ThrottleState {
  const current = state && isCurrent(state, rule, now) ? state : null;
  const failures = (current?.failures ?? 0) + 1;
  return {
    failures,
    windowStartedAt: current?.windowStartedAt ?? now,
    nextAllowedAt: new Date(now.getTime() + delayAfter(failures, rule)),
  };
}

/** Milliseconds until the next attempt may be verified, or null when it may be now. */
export function retryAfterMs(state: ThrottleState | null, rule: ThrottleRule, now: Date): number | null {
  if (!state || !isCurrent(state, rule, now)) return null;
  const wait = state.nextAllowedAt.getTime() - now.getTime();
  return wait > 0 ? wait : null;
}

/** A sign-in attempt as the throttle counts it; `ip` null when the address is unknown. */
export interface SignInAttempt {
  email: string;
  ip: string | null;
}

export interface SignInThrottle {
  /** Seconds until this attempt may be verified, or null when it may be now. */
  retryAfterSeconds(attempt: SignInAttempt): Promise<number | null>;
  /** A wrong password (or second factor): counts against the email at this address, and the address. */
  recordFailure(attempt: SignInAttempt): Promise<void>;
  /** Forgets the email's failures at this address (not the address's own count). */
  recordSuccess(attempt: SignInAttempt): Promise<void>;
}

/** The error next-auth passes to the sign-in form when attempts are throttled. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";
