import { describe, expect, it } from "vitest";
import {
  assessReconciler,
  HEARTBEAT_STALE_MS,
  type HeartbeatRow,
  isLive,
  parsePasses,
} from "./reconciler-liveness";

const NOW = new Date("2026-12-12T10:00:00.000Z");

function row(overrides: Partial<HeartbeatRow> = {}): HeartbeatRow {
  return {
    holder: "reconciler-1",
    leader: true,
    startedAt: new Date(NOW.getTime() - 3_600_000),
    beatAt: new Date(NOW.getTime() - 2_000),
    stoppedAt: null,
    queueReady: 3,
    queueDelayed: 2,
    queueProcessing: 1,
    workers: 2,
    passes: { site: { count: 10, failed: 1, ms: 420 } },
    ...overrides,
  };
}

const ago = (ms: number) => new Date(NOW.getTime() - ms);

describe("assessReconciler", () => {
  it("says never when no process ever reported", () => {
    expect(assessReconciler([], NOW)).toEqual({ state: "never" });
  });

  it("says up with the leader's queue depth and passes when the leader reported recently", () => {
    const result = assessReconciler([row(), row({ holder: "reconciler-2", leader: false })], NOW);
    expect(result).toMatchObject({
      state: "up",
      standby: 1,
      leader: {
        holder: "reconciler-1",
        queue: { ready: 3, delayed: 2, processing: 1, total: 6 },
        workers: 2,
        passes: { site: { count: 10, failed: 1, ms: 420 } },
      },
    });
  });

  it("says down since the last report once every report is older than the stale bound", () => {
    const last = ago(HEARTBEAT_STALE_MS);
    const result = assessReconciler(
      [row({ beatAt: last }), row({ holder: "old", beatAt: ago(90_000) })],
      NOW,
    );
    expect(result).toMatchObject({ state: "down", since: last.toISOString(), stopped: false });
  });

  it("says down at once, and stopped, when the process said it stopped", () => {
    const at = ago(1_000);
    const result = assessReconciler([row({ beatAt: at, stoppedAt: at, leader: false })], NOW);
    expect(result).toMatchObject({ state: "down", since: at.toISOString(), stopped: true });
  });

  it("says no leader while live processes wait for the Lease, with when a leader last reported", () => {
    const result = assessReconciler(
      [row({ leader: false }), row({ holder: "gone", leader: true, beatAt: ago(60_000) })],
      NOW,
    );
    expect(result).toMatchObject({
      state: "no-leader",
      lastLeaderBeatAt: ago(60_000).toISOString(),
    });
    expect(result.state === "no-leader" && result.instances.map((i) => i.holder)).toEqual(["reconciler-1"]);
  });

  it("prefers a live leader over a newer standby's report", () => {
    const result = assessReconciler(
      [row({ holder: "standby", leader: false, beatAt: ago(100) }), row({ beatAt: ago(4_000) })],
      NOW,
    );
    expect(result).toMatchObject({ state: "up", leader: { holder: "reconciler-1" }, standby: 1 });
  });
});

describe("isLive", () => {
  it("counts a report younger than the stale bound, from a process that did not stop", () => {
    expect(isLive({ beatAt: ago(HEARTBEAT_STALE_MS - 1), stoppedAt: null }, NOW)).toBe(true);
    expect(isLive({ beatAt: ago(HEARTBEAT_STALE_MS), stoppedAt: null }, NOW)).toBe(false);
    expect(isLive({ beatAt: ago(0), stoppedAt: ago(0) }, NOW)).toBe(false);
  });
});

describe("parsePasses", () => {
  it("keeps well-formed tallies and drops the rest", () => {
    expect(
      parsePasses({ site: { count: 1, failed: 0, ms: 2 }, account: { count: "1" }, cronJob: null }),
    ).toEqual({ site: { count: 1, failed: 0, ms: 2 } });
    expect(parsePasses(null)).toEqual({});
    expect(parsePasses([1, 2])).toEqual({});
  });
});
