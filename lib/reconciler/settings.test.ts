import { describe, expect, it } from "vitest";
import { DEFAULT_WORKERS, ReconcilerSettingError, reconcilerWorkers } from "./settings";

describe("reconcilerWorkers", () => {
  it("defaults to two workers when unset or empty", () => {
    expect(reconcilerWorkers({})).toBe(DEFAULT_WORKERS);
    expect(reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: " " })).toBe(2);
  });

  it("reads a whole number from 1 to 32", () => {
    expect(reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: "1" })).toBe(1);
    expect(reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: " 8 " })).toBe(8);
    expect(reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: "32" })).toBe(32);
  });

  it("refuses anything else, naming the setting and what it takes", () => {
    for (const bad of ["0", "-2", "33", "2.5", "four", "8 workers", "1e3", "0x10"]) {
      expect(() => reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: bad }), bad).toThrow(
        ReconcilerSettingError,
      );
      expect(() => reconcilerWorkers({ SITEPOD_RECONCILER_WORKERS: bad }), bad).toThrow(
        `SITEPOD_RECONCILER_WORKERS: "${bad}" is not a number of workers; write a whole number from 1 to 32 (default 2)`,
      );
    }
  });
});
