import { createHash } from "node:crypto";
import {
  afterFailure,
  retryAfterMs,
  type SignInAttempt,
  type SignInThrottle,
  THROTTLE_RULES,
  type ThrottleKind,
  type ThrottleRule,
} from "@/lib/auth/sign-in-throttle";
import { prisma } from "@/lib/db";
import { Prisma, type PrismaClient, type SignInThrottleKind } from "@/lib/generated/prisma/client";
import { addressBlock } from "@/lib/http/client-address";

/** Rows removed per pruning pass: a flood of keys is cleared over several passes, never in one long delete. */
const PRUNE_BATCH = 500;
const PRUNE_EVERY_MS = 60_000;

export interface SignInThrottleOptions {
  /** Default: the process-wide client (lib/db). */
  db?: PrismaClient;
  now?: () => Date;
  rules?: Record<ThrottleKind, ThrottleRule>;
}

/** A counter's row: its kind (a SignInThrottleKind) and the sha256 of what it counts. */
export interface ThrottleKey<K extends SignInThrottleKind = SignInThrottleKind> {
  kind: K;
  keyHash: string;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The counters an attempt touches, in one fixed order (kind, then hash) so that concurrent
 * transactions lock rows in the same order and cannot deadlock each other.
 */
export function sortKeys<K extends SignInThrottleKind>(keys: ThrottleKey<K>[]): ThrottleKey<K>[] {
  return [...keys].sort((a, b) =>
    a.kind === b.kind ? a.keyHash.localeCompare(b.keyHash) : a.kind < b.kind ? -1 : 1,
  );
}

/**
 * The keys of a sign-in attempt. Emails are stored only as part of a hash. IPv6 clients are
 * counted by their /64 (addressBlock). An unknown address (null) shares one per-email key and has
 * no address counter: counting every unknown client as one address would let one of them block all.
 */
function keysOf(attempt: SignInAttempt): ThrottleKey<ThrottleKind>[] {
  const email = attempt.email.trim().toLowerCase();
  const address = attempt.ip ? addressBlock(attempt.ip) : null;
  const keys: ThrottleKey<ThrottleKind>[] = [
    { kind: "EMAIL_AND_ADDRESS", keyHash: sha256(`${sha256(email)}\n${address ?? "unknown"}`) },
  ];
  if (address) keys.push({ kind: "ADDRESS", keyHash: sha256(address) });
  return sortKeys(keys);
}

/** A deadlock or lock wait timeout: the transaction was rolled back and may simply run again. */
function isWriteConflict(err: unknown): boolean {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return false;
  if (err.code === "P2034") return true;
  const cause = (err.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  return err.code === "P2010" && ["1213", "1205"].includes(String(cause?.originalCode));
}

export interface ThrottleCounters<K extends SignInThrottleKind> {
  /** Seconds until the keys may be used again, or null when they may be now. */
  retryAfterSeconds(keys: ThrottleKey<K>[]): Promise<number | null>;
  /** One more event (a failure, a mail sent) on each key. */
  record(keys: ThrottleKey<K>[]): Promise<void>;
  /** Deletes these counters. */
  forget(keys: ThrottleKey<K>[]): Promise<void>;
  /** Deletes expired rows of these kinds, in bounded batches; answers how many. */
  prune(): Promise<number>;
}

/**
 * Counters of some kinds over the SignInThrottle table, shared by every web process, each kind
 * with its rule (the arithmetic of sign-in-throttle.ts). An event is counted in one transaction
 * that locks each counter's row (inserting it first if missing, which takes the same exclusive
 * lock), so concurrent events from several processes are all counted. Expired rows are deleted in
 * bounded batches, at most once a minute per process, on the way out of record.
 */
export function createThrottleCounters<K extends SignInThrottleKind>(options: {
  db?: PrismaClient;
  now?: () => Date;
  rules: Record<K, ThrottleRule>;
}): ThrottleCounters<K> {
  const db = options.db ?? prisma;
  const now = options.now ?? (() => new Date());
  const rules = options.rules;
  let lastPrunedAt = 0;

  async function prune(): Promise<number> {
    const at = now();
    let removed = 0;
    for (const kind of Object.keys(rules) as K[]) {
      const { count } = await db.signInThrottle.deleteMany({
        where: {
          kind,
          windowStartedAt: { lte: new Date(at.getTime() - rules[kind].windowMs) },
          nextAllowedAt: { lte: at },
        },
        limit: PRUNE_BATCH,
      });
      removed += count;
    }
    return removed;
  }

  /** False when a row vanished between creating and locking it (pruned); the caller tries again. */
  async function countEvent(keys: ThrottleKey<K>[], at: Date): Promise<boolean> {
    // Placeholders (0 failures: not current) for missing rows, committed at once: the transaction
    // below then only locks existing rows, in a fixed order, so concurrent ones queue instead of
    // deadlocking over the gap a new row goes into.
    for (const { kind, keyHash } of keys) {
      await db.$executeRaw`INSERT IGNORE INTO SignInThrottle (kind, keyHash, failures, windowStartedAt, nextAllowedAt)
        VALUES (${kind}, ${keyHash}, 0, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3))`;
    }
    return db.$transaction(
      async (tx) => {
        for (const { kind, keyHash } of keys) {
          const locked = await tx.$queryRaw<unknown[]>`SELECT kind FROM SignInThrottle
            WHERE kind = ${kind} AND keyHash = ${keyHash} FOR UPDATE`;
          if (locked.length === 0) return false;
          const where = { kind_keyHash: { kind, keyHash } };
          const row = await tx.signInThrottle.findUniqueOrThrow({ where });
          await tx.signInThrottle.update({ where, data: afterFailure(row, rules[kind], at) });
        }
        return true;
      },
      // Each read sees the latest committed row; the lock keeps it ours until commit.
      { isolationLevel: Prisma.TransactionIsolationLevel.ReadCommitted },
    );
  }

  return {
    async retryAfterSeconds(keys) {
      const at = now();
      const rows = await db.signInThrottle.findMany({ where: { OR: keys } });
      let wait: number | null = null;
      for (const row of rows) {
        const ms = retryAfterMs(row, rules[row.kind as K], at);
        if (ms !== null) wait = Math.max(wait ?? 0, Math.ceil(ms / 1000));
      }
      return wait;
    },

    async record(unsorted) {
      const at = now();
      const keys = sortKeys(unsorted);
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          if (await countEvent(keys, at)) break;
        } catch (err) {
          if (!isWriteConflict(err)) throw err;
        }
        if (attemptNo >= 3) throw new Error("throttle: could not count an event after 3 attempts");
      }
      if (at.getTime() - lastPrunedAt >= PRUNE_EVERY_MS) {
        lastPrunedAt = at.getTime();
        await prune();
      }
    },

    async forget(keys) {
      await db.signInThrottle.deleteMany({ where: { OR: keys } });
    },

    prune,
  };
}

/** The sign-in throttle (see sign-in-throttle.ts) over the SignInThrottle table. */
export function createSignInThrottle(
  options: SignInThrottleOptions = {},
): SignInThrottle & { prune(): Promise<number> } {
  const counters = createThrottleCounters<ThrottleKind>({
    ...options,
    rules: options.rules ?? THROTTLE_RULES,
  });
  return {
    retryAfterSeconds: (attempt) => counters.retryAfterSeconds(keysOf(attempt)),
    recordFailure: (attempt) => counters.record(keysOf(attempt)),
    recordSuccess: (attempt) =>
      counters.forget(keysOf(attempt).filter((k) => k.kind === "EMAIL_AND_ADDRESS")),
    prune: counters.prune,
  };
}

const globalForThrottle = globalThis as unknown as { sitepodSignInThrottle?: SignInThrottle };

/** The throttle used by sign-in (and by second-factor checks), over the process-wide client. */
export function signInThrottle(): SignInThrottle {
  globalForThrottle.sitepodSignInThrottle ??= createSignInThrottle();
  return globalForThrottle.sitepodSignInThrottle;
}
