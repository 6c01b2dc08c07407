/**
 * Issue 12 (chaos), the reconciler's loops that need no cluster: on a MariaDB server of the
 * test's own, stopped and started again under them, the heartbeat loop goes on (a missed beat is
 * logged, the next one written on the same client) and a startup step waits for the database
 * instead of failing the process. The whole reconciler process through a restart, against the
 * cluster: ./chaos-database.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import type { Logger } from "@/lib/log";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { eventually } from "@/tests/helpers/eventually";
import { type PrivateMariaDb, startPrivateMariaDb } from "@/tests/helpers/private-mariadb";
import { startHeartbeat } from "./heartbeat";
import { waitForDatabase } from "./wait-for-database";

let server: PrivateMariaDb;
let db: TestDatabase;

beforeAll(async () => {
  server = await startPrivateMariaDb();
  db = await createTestDatabase({ serverUrl: server.serverUrl });
});

afterAll(async () => {
  await db?.prisma.$disconnect();
  await server?.cleanup();
});

interface Line {
  level: string;
  msg: string;
  context: Record<string, unknown>;
}

function recordingLog(): { log: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const log: Logger = {
    debug: (msg, context = {}) => lines.push({ level: "debug", msg, context }),
    info: (msg, context = {}) => lines.push({ level: "info", msg, context }),
    warn: (msg, context = {}) => lines.push({ level: "warn", msg, context }),
    error: (msg, context = {}) => lines.push({ level: "error", msg, context }),
    child: () => log,
  };
  return { log, lines };
}

describe("the reconciler's loops through a database restart", () => {
  it("keeps beating: a missed beat is logged, the next one is written once the server is back", async () => {
    const { log, lines } = recordingLog();
    const heartbeat = startHeartbeat({
      prisma: db.prisma,
      identity: "chaos-heartbeat",
      log,
      intervalMs: 200,
      report: () => ({ leader: true, stats: null }),
    });
    try {
      await eventually("a first beat", () =>
        db.prisma.reconcilerHeartbeat
          .findUnique({ where: { holder: "chaos-heartbeat" } })
          .then((r) => r ?? undefined),
      );
      await server.stop();
      const missed = await eventually("a missed beat to be logged", () =>
        lines.find((l) => l.msg === "heartbeat not written"),
      );
      expect(isDatabaseUnavailable(missed.context.err)).toBe(true);

      await server.start();
      const back = new Date();
      // Same loop, same client: a beat newer than the restart lands.
      await eventually("a beat after the restart", async () => {
        const row = await db.prisma.reconcilerHeartbeat.findUnique({ where: { holder: "chaos-heartbeat" } });
        return row && row.beatAt >= back ? row : undefined;
      });
    } finally {
      await heartbeat.stop();
    }
    const row = await db.prisma.reconcilerHeartbeat.findUniqueOrThrow({
      where: { holder: "chaos-heartbeat" },
    });
    expect(row.stoppedAt).not.toBeNull();
  }, 120_000);

  it("waits at startup for a database that is down, and goes on once it answers", async () => {
    const { log, lines } = recordingLog();
    await server.stop();
    const started = waitForDatabase(() => db.prisma.changeLog.aggregate({ _max: { id: true } }), {
      what: "reading the change log's position",
      log,
      baseDelayMs: 200,
      maxDelayMs: 1_000,
    });
    await eventually("the wait to be logged", () =>
      lines.find((l) => l.level === "warn" && l.msg === "database unavailable; waiting for it"),
    );
    await server.start();
    const max = await started;
    expect(max._max.id).toBeNull();
    expect(lines.at(-1)).toMatchObject({ level: "info", msg: "database answers again" });
  }, 120_000);
});
