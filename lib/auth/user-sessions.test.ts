import { describe, expect, it } from "vitest";
import {
  describeUserAgent,
  newSessionId,
  SESSION_TOUCH_INTERVAL_MS,
  sessionState,
  shouldTouch,
  truncateUserAgent,
} from "./user-sessions";

describe("user sessions", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const later = new Date(now.getTime() + 3_600_000);

  it("makes 128-bit hex ids, never the same twice", () => {
    const id = newSessionId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(newSessionId()).not.toBe(id);
  });

  it("accepts only a row that exists, is not revoked and has not expired", () => {
    expect(sessionState(null, now)).toBe("missing");
    expect(sessionState({ revokedAt: null, expiresAt: later }, now)).toBe("active");
    expect(sessionState({ revokedAt: now, expiresAt: later }, now)).toBe("revoked");
    expect(sessionState({ revokedAt: null, expiresAt: now }, now)).toBe("expired");
  });

  it("touches lastSeenAt at most once a minute", () => {
    expect(shouldTouch(new Date(now.getTime() - SESSION_TOUCH_INTERVAL_MS + 1), now)).toBe(false);
    expect(shouldTouch(new Date(now.getTime() - SESSION_TOUCH_INTERVAL_MS), now)).toBe(true);
  });

  it("keeps at most 255 characters of the user agent, and nothing of an empty one", () => {
    expect(truncateUserAgent("x".repeat(400))).toHaveLength(255);
    expect(truncateUserAgent("  ")).toBeNull();
    expect(truncateUserAgent(undefined)).toBeNull();
  });

  it("names the browser and the system", () => {
    const chromeLinux =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    const edgeWindows =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
    const safariIphone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    const firefoxMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0";
    const chromeAndroid =
      "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";
    expect(describeUserAgent(chromeLinux)).toBe("Chrome on Linux");
    expect(describeUserAgent(edgeWindows)).toBe("Edge on Windows");
    expect(describeUserAgent(safariIphone)).toBe("Safari on iOS");
    expect(describeUserAgent(firefoxMac)).toBe("Firefox on macOS");
    expect(describeUserAgent(chromeAndroid)).toBe("Chrome on Android");
    expect(describeUserAgent(chromeLinux.replace("Chrome/", "HeadlessChrome/"))).toBe("Chrome on Linux");
    expect(describeUserAgent("curl/8.5.0")).toBe("curl");
    expect(describeUserAgent("something else")).toBe("Unknown browser");
    expect(describeUserAgent(null)).toBe("Unknown browser");
  });
});
