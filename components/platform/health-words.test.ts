import { describe, expect, it } from "vitest";
import { clusterWords, formatAge, reconcilerWords } from "./health-words";

const NOW = new Date("2026-12-12T10:00:00.000Z");
const iso = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();

const instance = {
  holder: "reconciler-7f9-1",
  leader: true,
  startedAt: iso(2 * 3_600_000),
  beatAt: iso(3_000),
  queue: { ready: 1, delayed: 0, processing: 1, total: 2 },
  workers: 2,
  passes: {},
};

describe("formatAge", () => {
  it("rounds to the unit people use", () => {
    expect(formatAge(4_000)).toBe("4 s");
    expect(formatAge(-50)).toBe("0 s");
    expect(formatAge(5 * 60_000)).toBe("5 min");
    expect(formatAge(3 * 3_600_000)).toBe("3 h");
    expect(formatAge(24 * 3_600_000)).toBe("24 h");
    expect(formatAge(36 * 3_600_000)).toBe("2 days");
  });
});

describe("reconcilerWords", () => {
  it("names the leader and its last report when up", () => {
    expect(reconcilerWords({ state: "up", leader: instance, standby: 1 }, NOW)).toEqual({
      label: "Up and leading",
      tone: "success",
      detail:
        "reconciler-7f9-1 reconciles (last report 3 s ago, running for 2 h). 1 more instance waits to take over.",
    });
  });

  it("says since when it is down, and whether it stopped or went silent", () => {
    const down = { state: "down" as const, since: iso(5 * 60_000), stopped: false, last: instance };
    expect(reconcilerWords(down, NOW)).toMatchObject({ label: "Down since 5 min ago", tone: "danger" });
    expect(reconcilerWords(down, NOW).detail).toContain("silent");
    expect(reconcilerWords({ ...down, stopped: true }, NOW).detail).toContain("stopped at");
  });

  it("warns when instances report but none leads, and when none ever reported", () => {
    expect(
      reconcilerWords({ state: "no-leader", instances: [instance], lastLeaderBeatAt: null }, NOW),
    ).toMatchObject({ label: "No leader", tone: "warning" });
    expect(reconcilerWords({ state: "never" }, NOW)).toMatchObject({ label: "Never reported" });
  });
});

describe("clusterWords", () => {
  it("says each state of the probe", () => {
    expect(
      clusterWords({ state: "ready", server: "https://127.0.0.1:6443", version: "v1.36.1", latencyMs: 12 }),
    ).toEqual({
      label: "Reachable",
      tone: "success",
      detail: "https://127.0.0.1:6443 is ready (Kubernetes v1.36.1), answered in 12 ms.",
    });
    expect(
      clusterWords({ state: "unreachable", server: "https://k", message: "no answer within 2000 ms" }).label,
    ).toBe("Unreachable");
    expect(
      clusterWords({ state: "unready", server: "https://k", status: 500, message: "etcd", latencyMs: 3 })
        .tone,
    ).toBe("warning");
    expect(clusterWords({ state: "not-configured", message: "none" }).tone).toBe("neutral");
  });
});
