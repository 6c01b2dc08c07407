/**
 * Slows down password guessing: after too many failed sign-ins for one email address, or from one
 * client address, within a window, further attempts are refused until the window has passed.
 * Counted per email whether or not the user exists, so throttling reveals nothing about accounts.
 *
 * The counters live in this process. With several web replicas each counts on its own, so the
 * effective limit is the per-replica limit times the replicas: still a hard bound on guessing.
 */
export interface ThrottleOptions {
  windowMs: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  /** Bounds memory under a flood of distinct keys; the oldest windows are dropped first. */
  maxKeys: number;
  now: () => number;
}

interface Window {
  startedAt: number;
  failures: number;
}

export interface SignInThrottle {
  /** Seconds until another attempt is allowed, or null when it is allowed now. */
  retryAfterSeconds(attempt: { email: string; ip: string | null }): number | null;
  recordFailure(attempt: { email: string; ip: string | null }): void;
  recordSuccess(attempt: { email: string }): void;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  windowMs: 15 * 60_000,
  maxFailuresPerEmail: 10,
  maxFailuresPerIp: 100,
  maxKeys: 10_000,
  now: () => Date.now(),
};

export function createSignInThrottle(overrides: Partial<ThrottleOptions> = {}): SignInThrottle {
  const opts = { ...DEFAULT_THROTTLE, ...overrides };
  // A Map iterates in insertion order; re-inserting on a new window keeps the oldest first.
  const windows = new Map<string, Window>();

  const current = (key: string): Window | undefined => {
    const w = windows.get(key);
    if (!w) return undefined;
    if (opts.now() - w.startedAt >= opts.windowMs) {
      windows.delete(key);
      return undefined;
    }
    return w;
  };

  const keys = (attempt: { email: string; ip: string | null }) => {
    const list: { key: string; max: number }[] = [
      { key: `email:${attempt.email.trim().toLowerCase()}`, max: opts.maxFailuresPerEmail },
    ];
    if (attempt.ip) list.push({ key: `ip:${attempt.ip}`, max: opts.maxFailuresPerIp });
    return list;
  };

  return {
    retryAfterSeconds(attempt) {
      let wait: number | null = null;
      for (const { key, max } of keys(attempt)) {
        const w = current(key);
        if (w && w.failures >= max) {
          const seconds = Math.ceil((w.startedAt + opts.windowMs - opts.now()) / 1000);
          wait = Math.max(wait ?? 0, seconds);
        }
      }
      return wait;
    },
    recordFailure(attempt) {
      for (const { key } of keys(attempt)) {
        const w = current(key);
        if (w) {
          w.failures += 1;
          continue;
        }
        windows.set(key, { startedAt: opts.now(), failures: 1 });
        while (windows.size > opts.maxKeys) {
          const oldest = windows.keys().next().value;
          if (oldest === undefined) break;
          windows.delete(oldest);
        }
      }
    },
    recordSuccess(attempt) {
      windows.delete(`email:${attempt.email.trim().toLowerCase()}`);
    },
  };
}

const globalForThrottle = globalThis as unknown as { sitepodSignInThrottle?: SignInThrottle };

/** The process-wide throttle used by sign-in. */
export function signInThrottle(): SignInThrottle {
  globalForThrottle.sitepodSignInThrottle ??= createSignInThrottle();
  return globalForThrottle.sitepodSignInThrottle;
}

/** The error next-auth passes to the sign-in form when attempts are throttled. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";
