import { describe, expect, it } from "vitest";
import {
  afterFailure,
  delayAfter,
  retryAfterMs,
  THROTTLE_RULES,
  type ThrottleRule,
  type ThrottleState,
} from "./sign-in-throttle";

const pair = THROTTLE_RULES.EMAIL_AND_ADDRESS;
const at = (ms: number) => new Date(1_000_000_000_000 + ms);

function fail(times: number, rule: ThrottleRule, start: ThrottleState | null = null, now = at(0)) {
  let state = start;
  for (let i = 0; i < times; i++) state = afterFailure(state, rule, now);
  return state;
}

describe("sign-in throttle arithmetic", () => {
  it("lets the free failures through, then doubles the wait up to the cap", () => {
    expect([1, 2, 3, 4].map((n) => delayAfter(n, pair))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9, 10].map((n) => delayAfter(n, pair) / 1000)).toEqual([15, 30, 60, 120, 240, 480]);
    expect(delayAfter(11, pair)).toBe(15 * 60_000);
    expect(delayAfter(10_000, pair)).toBe(15 * 60_000);
  });

  it("asks to wait only once the free failures are used up", () => {
    expect(retryAfterMs(fail(4, pair), pair, at(0))).toBeNull();
    const state = fail(5, pair);
    expect(retryAfterMs(state, pair, at(0))).toBe(15_000);
    expect(retryAfterMs(state, pair, at(10_000))).toBe(5_000);
    expect(retryAfterMs(state, pair, at(15_000))).toBeNull();
  });

  it("keeps counting within the window, and starts over once it has passed and no wait runs", () => {
    const state = fail(5, pair);
    const sixth = afterFailure(state, pair, at(20_000));
    expect(sixth.failures).toBe(6);
    expect(sixth.windowStartedAt).toEqual(at(0));
    expect(retryAfterMs(sixth, pair, at(20_000))).toBe(30_000);
    const later = afterFailure(sixth, pair, at(pair.windowMs));
    expect(later).toEqual({
      failures: 1,
      windowStartedAt: at(pair.windowMs),
      nextAllowedAt: at(pair.windowMs),
    });
  });

  it("does not start over while a wait runs past the window's end", () => {
    const capped = fail(20, pair);
    expect(retryAfterMs(capped, pair, at(0))).toBe(15 * 60_000);
    const rule = { ...pair, windowMs: 60_000 };
    expect(retryAfterMs(capped, rule, at(61_000))).toBe(15 * 60_000 - 61_000);
    expect(afterFailure(capped, rule, at(61_000)).failures).toBe(21);
  });

  it("blocks an address for 15 minutes after 100 failures", () => {
    const address = THROTTLE_RULES.ADDRESS;
    expect(retryAfterMs(fail(99, address), address, at(0))).toBeNull();
    expect(retryAfterMs(fail(100, address), address, at(0))).toBe(15 * 60_000);
  });

  it("ignores a placeholder without failures", () => {
    const placeholder = { failures: 0, windowStartedAt: at(0), nextAllowedAt: at(60_000) };
    expect(retryAfterMs(placeholder, pair, at(0))).toBeNull();
    expect(afterFailure(placeholder, pair, at(5)).failures).toBe(1);
  });
});
