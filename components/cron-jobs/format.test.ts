import { describe, expect, it } from "vitest";
import { describeRun, describeUsage, formatRunTimeLocal, formatRunTimeUtc, previewSchedule } from "./format";

describe("cron job formatting", () => {
  it("previews a schedule in words with its next three runs, or says why it cannot run", () => {
    const preview = previewSchedule(" 0  3 * * 1-5 ", new Date("2026-11-30T06:00:00Z"));
    expect(preview.problem).toBeNull();
    expect(preview.text).toBe("At 03:00, Monday through Friday");
    expect(preview.next.map(formatRunTimeUtc)).toEqual([
      "Tue 1 Dec, 03:00 UTC",
      "Wed 2 Dec, 03:00 UTC",
      "Thu 3 Dec, 03:00 UTC",
    ]);
    expect(previewSchedule("0 3 * *", new Date()).problem).toBe(
      '"0 3 * *" is not a cron schedule: it needs five fields (minute hour day-of-month month day-of-week) and has 4.',
    );
  });

  it("shows a run time in another zone", () => {
    expect(formatRunTimeLocal(new Date("2026-12-01T03:00:00Z"), "Europe/Berlin")).toBe("Tue 1 Dec, 04:00");
  });

  it("says a run's outcome with its exit code, and the plan usage", () => {
    expect(describeRun({ status: "Failed", exitCode: 137, reason: "OOMKilled" })).toBe(
      "Failed (exit 137, OOMKilled)",
    );
    expect(describeRun({ status: "Succeeded", exitCode: 0, reason: null })).toBe("Succeeded (exit 0)");
    expect(describeRun({ status: "Running", exitCode: null, reason: null })).toBe("Running");
    expect(describeUsage({ used: 2, limit: 5 })).toBe("2 of 5 cron jobs");
    expect(describeUsage({ used: 0, limit: 1 })).toBe("0 of 1 cron job");
    expect(describeUsage({ used: 1, limit: null })).toBe("1 cron job (no limit)");
  });
});
