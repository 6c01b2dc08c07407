/**
 * Is the reconciler up, and is one instance leading? Every reconciler process writes a
 * ReconcilerHeartbeat row every HEARTBEAT_INTERVAL_MS (lib/reconciler/heartbeat.ts); this decides
 * from those rows alone, so that any web replica can answer without reaching the reconciler.
 */

/** How often a reconciler process reports. */
export const HEARTBEAT_INTERVAL_MS = 5_000;

/**
 * A report older than this means its process is gone: several missed beats, not one slow write.
 * Longer than the Lease's duration (15 s), so that a leader change shows as a new leader, not as an
 * outage.
 */
export const HEARTBEAT_STALE_MS = 20_000;

/** Rows of processes that stopped beating this long ago are deleted by the live ones. */
export const HEARTBEAT_FORGET_MS = 7 * 24 * 3_600_000;

export interface PassTally {
  count: number;
  failed: number;
  ms: number;
}

export interface HeartbeatRow {
  holder: string;
  leader: boolean;
  startedAt: Date;
  beatAt: Date;
  stoppedAt: Date | null;
  queueReady: number;
  queueDelayed: number;
  queueProcessing: number;
  workers: number;
  passes: unknown;
}

export interface ReconcilerInstance {
  holder: string;
  leader: boolean;
  startedAt: string;
  beatAt: string;
  queue: { ready: number; delayed: number; processing: number; total: number };
  workers: number;
  /** Passes per work kind since the instance started, by kind name. */
  passes: Record<string, PassTally>;
}

export type ReconcilerLiveness =
  /** A fresh report from a leading instance; `standby`: other live instances waiting for the Lease. */
  | { state: "up"; leader: ReconcilerInstance; standby: number }
  /** Live instances, none leading (a Lease changing hands, or none can take it). */
  | { state: "no-leader"; instances: ReconcilerInstance[]; lastLeaderBeatAt: string | null }
  /** Reports stopped: `since` is the last one; `stopped` when the process said it was stopping. */
  | { state: "down"; since: string; stopped: boolean; last: ReconcilerInstance }
  /** No reconciler ever reported to this database. */
  | { state: "never" };

function isTally(value: unknown): value is PassTally {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.count === "number" && typeof v.failed === "number" && typeof v.ms === "number";
}

/** The `passes` JSON as written by the heartbeat; anything malformed is left out. */
export function parsePasses(value: unknown): Record<string, PassTally> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const passes: Record<string, PassTally> = {};
  for (const [kind, tally] of Object.entries(value)) {
    if (isTally(tally)) passes[kind] = { count: tally.count, failed: tally.failed, ms: tally.ms };
  }
  return passes;
}

export function toInstance(row: HeartbeatRow): ReconcilerInstance {
  return {
    holder: row.holder,
    leader: row.leader,
    startedAt: row.startedAt.toISOString(),
    beatAt: row.beatAt.toISOString(),
    queue: {
      ready: row.queueReady,
      delayed: row.queueDelayed,
      processing: row.queueProcessing,
      total: row.queueReady + row.queueDelayed + row.queueProcessing,
    },
    workers: row.workers,
    passes: parsePasses(row.passes),
  };
}

/** Whether the row's process reported recently and did not say it stopped. */
export function isLive(row: Pick<HeartbeatRow, "beatAt" | "stoppedAt">, now: Date): boolean {
  return row.stoppedAt === null && now.getTime() - row.beatAt.getTime() < HEARTBEAT_STALE_MS;
}

export function assessReconciler(rows: readonly HeartbeatRow[], now: Date): ReconcilerLiveness {
  if (rows.length === 0) return { state: "never" };
  const newestFirst = [...rows].sort((a, b) => b.beatAt.getTime() - a.beatAt.getTime());
  const live = newestFirst.filter((row) => isLive(row, now));
  const leader = live.find((row) => row.leader);
  if (leader) {
    return { state: "up", leader: toInstance(leader), standby: live.length - 1 };
  }
  if (live.length > 0) {
    const lastLeader = newestFirst.find((row) => row.leader);
    return {
      state: "no-leader",
      instances: live.map(toInstance),
      lastLeaderBeatAt: lastLeader?.beatAt.toISOString() ?? null,
    };
  }
  // newestFirst is not empty: rows.length > 0.
  const last = newestFirst[0] as HeartbeatRow;
  return {
    state: "down",
    since: last.beatAt.toISOString(),
    stopped: last.stoppedAt !== null,
    last: toInstance(last),
  };
}
