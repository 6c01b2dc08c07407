import { describe, expect, it } from "vitest";
import { createSignInThrottle } from "./sign-in-throttle";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("sign-in throttle", () => {
  it("refuses an email after its failures reach the limit, until the window has passed", () => {
    const c = clock();
    const throttle = createSignInThrottle({ now: c.now, windowMs: 60_000, maxFailuresPerEmail: 3 });
    const attempt = { email: "Ann@Example.com", ip: "192.0.2.1" };
    for (let i = 0; i < 3; i++) {
      expect(throttle.retryAfterSeconds(attempt)).toBeNull();
      throttle.recordFailure(attempt);
    }
    // Same address whatever its case.
    expect(throttle.retryAfterSeconds({ email: "ann@example.com", ip: "198.51.100.7" })).toBe(60);
    c.advance(45_000);
    expect(throttle.retryAfterSeconds(attempt)).toBe(15);
    c.advance(15_000);
    expect(throttle.retryAfterSeconds(attempt)).toBeNull();
  });

  it("refuses a client address that fails for many emails", () => {
    const throttle = createSignInThrottle({ maxFailuresPerEmail: 100, maxFailuresPerIp: 5 });
    for (let i = 0; i < 5; i++) throttle.recordFailure({ email: `user${i}@example.com`, ip: "192.0.2.9" });
    expect(throttle.retryAfterSeconds({ email: "fresh@example.com", ip: "192.0.2.9" })).not.toBeNull();
    expect(throttle.retryAfterSeconds({ email: "fresh@example.com", ip: "192.0.2.10" })).toBeNull();
  });

  it("forgets an email's failures after a successful sign-in", () => {
    const throttle = createSignInThrottle({ maxFailuresPerEmail: 2 });
    const attempt = { email: "bob@example.com", ip: null };
    throttle.recordFailure(attempt);
    throttle.recordSuccess(attempt);
    throttle.recordFailure(attempt);
    expect(throttle.retryAfterSeconds(attempt)).toBeNull();
  });

  it("keeps at most maxKeys windows, dropping the oldest", () => {
    const throttle = createSignInThrottle({ maxKeys: 2, maxFailuresPerEmail: 1 });
    throttle.recordFailure({ email: "a@example.com", ip: null });
    throttle.recordFailure({ email: "b@example.com", ip: null });
    throttle.recordFailure({ email: "c@example.com", ip: null });
    expect(throttle.retryAfterSeconds({ email: "a@example.com", ip: null })).toBeNull();
    expect(throttle.retryAfterSeconds({ email: "c@example.com", ip: null })).not.toBeNull();
  });
});
