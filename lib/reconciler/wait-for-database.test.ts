import { describe, expect, it } from "vitest";
import type { Logger } from "@/lib/log";
import { retryDelayMs, waitForDatabase } from "./wait-for-database";

function recordingLog() {
  const lines: Array<{ level: string; msg: string; context: Record<string, unknown> }> = [];
  const log: Logger = {
    debug: (msg, context = {}) => lines.push({ level: "debug", msg, context }),
    info: (msg, context = {}) => lines.push({ level: "info", msg, context }),
    warn: (msg, context = {}) => lines.push({ level: "warn", msg, context }),
    error: (msg, context = {}) => lines.push({ level: "error", msg, context }),
    child: () => log,
  };
  return { log, lines };
}

const down = () =>
  Object.assign(new Error("Transaction API error: Unable to start a transaction in the given time."), {
    code: "P2028",
  });

describe("waitForDatabase", () => {
  it("retries while the database does not answer, with doubling delays, then returns", async () => {
    const { log, lines } = recordingLog();
    const slept: number[] = [];
    let calls = 0;
    const result = await waitForDatabase(
      async () => {
        calls++;
        if (calls < 4) throw down();
        return "position";
      },
      {
        what: "reading the change log",
        log,
        baseDelayMs: 100,
        maxDelayMs: 300,
        sleep: async (ms) => void slept.push(ms),
      },
    );
    expect(result).toBe("position");
    expect(slept).toEqual([100, 200, 300]);
    expect(lines.filter((l) => l.level === "warn").map((l) => l.context.attempt)).toEqual([1, 2, 3]);
    expect(lines.at(-1)).toMatchObject({
      level: "info",
      msg: "database answers again",
      context: { attempts: 4 },
    });
  });

  it("does not wait out other errors", async () => {
    const { log } = recordingLog();
    let calls = 0;
    await expect(
      waitForDatabase(
        async () => {
          calls++;
          throw new Error("Table 'sitepod.ChangeLog' doesn't exist");
        },
        { what: "x", log, sleep: async () => {} },
      ),
    ).rejects.toThrow("doesn't exist");
    expect(calls).toBe(1);
  });

  it("gives up with the last error once stopping", async () => {
    const { log } = recordingLog();
    const stop = new AbortController();
    await expect(
      waitForDatabase(
        async () => {
          throw down();
        },
        {
          what: "x",
          log,
          signal: stop.signal,
          sleep: async () => {
            stop.abort();
          },
        },
      ),
    ).rejects.toThrow("Unable to start a transaction");
  });
});

describe("retryDelayMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 10].map((n) => retryDelayMs(n, 500, 4_000))).toEqual([
      500, 1000, 2000, 4000, 4000, 4000,
    ]);
  });
});
