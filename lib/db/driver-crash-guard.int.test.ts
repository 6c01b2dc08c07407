/**
 * A process using the database survives MariaDB restarts and serves again after each, on the same
 * client. Without lib/db/driver-crash-guard.ts the mariadb driver's throw from a connection being
 * opened as the server stops ends such a process now and then (7 of 22 stops in experiments,
 * most right after a pool was created). The race is the driver's and this test cannot force it;
 * it shows that with the guard, four restarts under a process that queries every 100 ms leave it
 * up and serving.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { type PrivateMariaDb, startPrivateMariaDb } from "@/tests/helpers/private-mariadb";

let server: PrivateMariaDb;
let db: TestDatabase;
let child: ChildProcess | undefined;
const output: string[] = [];

beforeAll(async () => {
  server = await startPrivateMariaDb();
  db = await createTestDatabase({ serverUrl: server.serverUrl });
  await db.prisma.$disconnect();
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await server?.cleanup();
});

type Line = { query?: string; msg?: string; event?: string };
const lines = (): Line[] =>
  output
    .join("")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);

describe("a process using the database, through MariaDB restarts", () => {
  it("stays up and queries again after each restart", async () => {
    const proc = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/db-client-process.ts"], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    // Resolved from the output as it arrives: the stop must come right after a query succeeded,
    // while the pool is still opening its other connections (where the driver's throw happens).
    let waiter:
      | { from: number; query: string; resolve: () => void; reject: (err: Error) => void }
      | undefined;
    const check = () => {
      if (
        waiter &&
        lines()
          .slice(waiter.from)
          .some((l) => l.query === waiter?.query)
      ) {
        const { resolve } = waiter;
        waiter = undefined;
        resolve();
      }
    };
    proc.stdout?.on("data", (chunk: Buffer) => {
      output.push(chunk.toString());
      check();
    });
    proc.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    let ended: Error | undefined;
    proc.once("exit", (code, signal) => {
      ended = new Error(`the process ended (${code ?? signal}):\n${output.join("").slice(-3000)}`);
      waiter?.reject(ended);
    });
    const next = (query: "ok" | "failed") =>
      new Promise<void>((resolve, reject) => {
        if (ended) return reject(ended);
        const timer = setTimeout(() => reject(new Error(`no query ${query} within 60 s`)), 60_000);
        waiter = {
          from: lines().length,
          query,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (err) => {
            clearTimeout(timer);
            reject(err);
          },
        };
        check();
      });

    await next("ok");
    for (let round = 0; round < 4; round++) {
      await server.stop();
      await next("failed");
      await server.start();
      await next("ok");
    }
    expect(proc.exitCode).toBeNull();
    expect(proc.signalCode).toBeNull();
    // What the guard absorbed, if the race happened this run, was logged as a warning.
    for (const l of lines().filter((line) => line.event === "db.unavailable")) {
      expect(l.msg).toBe("database connection lost while it was being opened; the pool opens another");
    }
  }, 240_000);
});
