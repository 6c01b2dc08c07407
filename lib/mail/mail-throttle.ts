import type { ThrottleRule } from "@/lib/auth/sign-in-throttle";
import {
  createThrottleCounters,
  sha256,
  type ThrottleCounters,
  type ThrottleKey,
} from "@/lib/auth/sign-in-throttle-store";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { addressBlock } from "@/lib/http/client-address";

export type MailThrottleKind = "MAIL_EMAIL" | "MAIL_ADDRESS";

/**
 * How often a link may be mailed (password resets, email confirmations), counted in the sign-in
 * throttle's table with its arithmetic:
 * - per email address, whoever asks: four mails, then 5 minutes doubling to an hour between
 *   mails; the count starts over an hour after the first. Nobody can flood someone's mailbox, and
 *   one address that asks a lot holds up only its own mail;
 * - per client address, whatever the email: twenty, then 15 minutes, against one client asking for
 *   mail to many addresses.
 * Requests are counted whether or not the address has a user, so a refusal reveals nothing.
 */
export const MAIL_THROTTLE_RULES: Record<MailThrottleKind, ThrottleRule> = {
  MAIL_EMAIL: {
    freeFailures: 3,
    firstDelayMs: 5 * 60_000,
    maxDelayMs: 60 * 60_000,
    windowMs: 60 * 60_000,
  },
  MAIL_ADDRESS: {
    freeFailures: 19,
    firstDelayMs: 15 * 60_000,
    maxDelayMs: 15 * 60_000,
    windowMs: 60 * 60_000,
  },
};

/** Who asks for mail to whom; `ip` null when the client address is unknown (or for a signed-in user's own mail). */
export interface MailRequest {
  email: string;
  ip: string | null;
}

function keysOf(request: MailRequest): ThrottleKey<MailThrottleKind>[] {
  const keys: ThrottleKey<MailThrottleKind>[] = [
    { kind: "MAIL_EMAIL", keyHash: sha256(`mail\n${request.email.trim().toLowerCase()}`) },
  ];
  if (request.ip) keys.push({ kind: "MAIL_ADDRESS", keyHash: sha256(`mail\n${addressBlock(request.ip)}`) });
  return keys;
}

export interface MailThrottle {
  /** Seconds until this request may send mail, or null when it may now. */
  retryAfterSeconds(request: MailRequest): Promise<number | null>;
  /** Counts one request (call it whenever the request was allowed, whether or not mail went out). */
  record(request: MailRequest): Promise<void>;
}

export function createMailThrottle(
  options: { db?: PrismaClient; now?: () => Date; rules?: Record<MailThrottleKind, ThrottleRule> } = {},
): MailThrottle & { counters: ThrottleCounters<MailThrottleKind> } {
  const counters = createThrottleCounters<MailThrottleKind>({
    ...options,
    rules: options.rules ?? MAIL_THROTTLE_RULES,
  });
  return {
    retryAfterSeconds: (request) => counters.retryAfterSeconds(keysOf(request)),
    record: (request) => counters.record(keysOf(request)),
    counters,
  };
}

const globalForMailThrottle = globalThis as unknown as { sitepodMailThrottle?: MailThrottle };

/** The throttle over the process-wide client. */
export function mailThrottle(): MailThrottle {
  globalForMailThrottle.sitepodMailThrottle ??= createMailThrottle();
  return globalForMailThrottle.sitepodMailThrottle;
}

/** "5 minutes", "1 hour": how long to wait, for messages. */
export function waitInWords(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, seconds)} ${seconds === 1 ? "second" : "seconds"}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 90 && minutes !== 60) return `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  return hours === 1 ? "1 hour" : `${hours} hours`;
}
