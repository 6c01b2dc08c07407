import { describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import { handleUncaught, isDriverConnectionLoss } from "./driver-crash-guard";

/** The driver's error as it reached the process (mariadb/lib/misc/errors.js createFatalError). */
function sqlError(errno: number, fatal: boolean) {
  return Object.assign(
    new Error(`(conn:15, no: ${errno}, SQLState: 08S01) socket has unexpectedly been closed`),
    {
      name: "SqlError",
      errno,
      fatal,
      sqlState: "08S01",
      code: "ER_SOCKET_UNEXPECTED_CLOSE",
    },
  );
}

function recordingLog() {
  const lines: Array<{ level: string; msg: string }> = [];
  const log: Logger = {
    debug: (msg) => lines.push({ level: "debug", msg }),
    info: (msg) => lines.push({ level: "info", msg }),
    warn: (msg) => lines.push({ level: "warn", msg }),
    error: (msg) => lines.push({ level: "error", msg }),
    child: () => log,
  };
  return { log, lines };
}

describe("isDriverConnectionLoss", () => {
  it("is the driver's fatal lost connection only", () => {
    expect(isDriverConnectionLoss(sqlError(45009, true))).toBe(true);
    // Not fatal, not the driver's, not a connection failure: a real bug.
    expect(isDriverConnectionLoss(sqlError(45009, false))).toBe(false);
    expect(isDriverConnectionLoss(Object.assign(new Error("x"), { errno: 45009, fatal: true }))).toBe(false);
    expect(isDriverConnectionLoss(Object.assign(sqlError(1062, true), { code: "ER_DUP_ENTRY" }))).toBe(false);
    expect(isDriverConnectionLoss(undefined)).toBe(false);
  });
});

describe("handleUncaught", () => {
  it("logs the lost connection as a warning and keeps the process", () => {
    const { log, lines } = recordingLog();
    const exits: number[] = [];
    handleUncaught(sqlError(45009, true), "uncaughtException", { log, exit: (code) => exits.push(code) });
    expect(exits).toEqual([]);
    expect(lines).toEqual([
      { level: "warn", msg: "database connection lost while it was being opened; the pool opens another" },
    ]);
  });

  it("logs anything else and ends the process with 1, as Node would", () => {
    const { log, lines } = recordingLog();
    const exits: number[] = [];
    handleUncaught(new TypeError("x is undefined"), "uncaughtException", {
      log,
      exit: (code) => exits.push(code),
    });
    expect(exits).toEqual([1]);
    expect(lines).toEqual([{ level: "error", msg: "uncaught exception" }]);
  });
});
