/**
 * The reconciler's steps that cannot go on without the database (reading where the change log
 * stands, the first resync) wait for it rather than exit: a process that starts while MariaDB
 * restarts (or takes the Lease then) just starts late. Other errors are not waited out.
 */
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { Logger } from "@/lib/log";

export interface WaitForDatabaseOptions {
  /** Names the step in the log ("reading the change log's position"). */
  what: string;
  log: Logger;
  /** Ends the wait (the process is stopping): the last error is thrown. */
  signal?: AbortSignal;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Replaces the timer (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The delay before retry number `attempt` (1-based): doubling from `base`, capped at `max`. */
export function retryDelayMs(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(baseDelayMs * 2 ** Math.max(0, attempt - 1), maxDelayMs);
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Runs `step` until it succeeds, retrying with backoff while the database does not answer. */
export async function waitForDatabase<T>(
  step: () => Promise<T>,
  options: WaitForDatabaseOptions,
): Promise<T> {
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      const result = await step();
      if (attempt > 1) options.log.info("database answers again", { what: options.what, attempts: attempt });
      return result;
    } catch (err) {
      if (!isDatabaseUnavailable(err) || options.signal?.aborted) throw err;
      const retryInMs = retryDelayMs(attempt, baseDelayMs, maxDelayMs);
      options.log.warn("database unavailable; waiting for it", {
        event: "db.unavailable",
        what: options.what,
        attempt,
        retryInMs,
        err,
      });
      await sleep(retryInMs, options.signal);
      if (options.signal?.aborted) throw err;
    }
  }
}
