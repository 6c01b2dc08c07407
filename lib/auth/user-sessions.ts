/**
 * Server-side sessions: the pure rules. The session JWT carries the id of a UserSession row (`sid`);
 * the row is what sign-out, a password change or a removal revokes, at once. The JWT's own maxAge
 * stays the outer bound; the row's expiresAt matches it.
 */
import { randomBytes } from "node:crypto";

/** lastSeenAt is written at most this often, so that a busy session costs one read per request. */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;

export const USER_AGENT_MAX_LENGTH = 255;

/** 128 random bits, hex: fits the VarChar(32) id. */
export function newSessionId(): string {
  return randomBytes(16).toString("hex");
}

export type SessionState = "active" | "missing" | "revoked" | "expired";

export function sessionState(
  row: { revokedAt: Date | null; expiresAt: Date } | null,
  now: Date = new Date(),
): SessionState {
  if (!row) return "missing";
  if (row.revokedAt) return "revoked";
  if (row.expiresAt.getTime() <= now.getTime()) return "expired";
  return "active";
}

export function shouldTouch(lastSeenAt: Date, now: Date = new Date()): boolean {
  return now.getTime() - lastSeenAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
}

export function truncateUserAgent(userAgent: string | null | undefined): string | null {
  const trimmed = userAgent?.trim();
  return trimmed ? trimmed.slice(0, USER_AGENT_MAX_LENGTH) : null;
}

// Order matters: Edge and Opera claim Chrome, Chrome claims Safari, every one claims Mozilla.
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\//, "Opera"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  // Also HeadlessChrome (automation).
  [/Chrom(?:e|ium)\/|\bCriOS\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bWindows\b/, "Windows"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Firefox on Linux", for the sessions list; "Unknown browser" when the agent says nothing useful. */
export function describeUserAgent(userAgent: string | null | undefined): string {
  if (!userAgent) return "Unknown browser";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : "Unknown browser");
}
