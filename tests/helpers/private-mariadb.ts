/**
 * A MariaDB server of the test's own, for the tests that stop, kill or restart the database: the
 * machine's server (127.0.0.1:3306) is shared by everyone and must never be stopped. Debian's
 * `mariadbd` on a fresh datadir in a temporary directory, a free port on 127.0.0.1, its own
 * socket, no option files read. The test that starts one stops it and removes its directory
 * (`cleanup()`); the same port and datadir are kept across restarts, so clients reconnect to the
 * same address and find their rows.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import mariadb from "mariadb";

const run = promisify(execFile);

const MARIADBD = process.env.SITEPOD_TEST_MARIADBD ?? "/usr/sbin/mariadbd";
const INSTALL_DB = process.env.SITEPOD_TEST_MARIADB_INSTALL_DB ?? "mariadb-install-db";

export interface PrivateMariaDb {
  port: number;
  /** The temporary directory holding the datadir, socket, pid file and error log. */
  dir: string;
  /** mysql://root@127.0.0.1:<port> (no database): pass to testDatabaseUrl-like helpers. */
  serverUrl: string;
  /** A URL for `database` on this server. */
  urlFor(database: string): string;
  /** Whether the server process runs (it may still be starting or stopping). */
  running(): boolean;
  /** Starts the server (after stop or kill) on the same port and datadir; resolves once it answers. */
  start(): Promise<void>;
  /** SIGTERM (a clean shutdown); resolves once the process exited. */
  stop(): Promise<void>;
  /** SIGKILL (a crash: InnoDB recovers at the next start); resolves once the process exited. */
  kill(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** Stops the server if it runs and removes its directory. Safe to call twice. */
  cleanup(): Promise<void>;
  /** The server's error log (for failure messages). */
  errorLog(): Promise<string>;
}

/** A port the kernel just handed out on 127.0.0.1, free at the time of asking. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}

async function answers(port: number): Promise<boolean> {
  try {
    const conn = await mariadb.createConnection({
      host: "127.0.0.1",
      port,
      user: "root",
      connectTimeout: 1_000,
    });
    await conn.end();
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Initialises a datadir and starts the server; `cleanup()` undoes both. */
export async function startPrivateMariaDb(
  options: { startTimeoutMs?: number } = {},
): Promise<PrivateMariaDb> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const dir = await mkdtemp(path.join(tmpdir(), "sitepod-mariadb-"));
  const datadir = path.join(dir, "data");
  const errorLogPath = path.join(dir, "error.log");
  try {
    await run(INSTALL_DB, [
      "--no-defaults",
      `--datadir=${datadir}`,
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
      "--skip-name-resolve",
      // The tests run as root, which mariadbd refuses to run as unless told.
      ...(process.getuid?.() === 0 ? ["--user=root"] : []),
    ]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${String(err)}`);
  }
  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let removed = false;

  const isRunning = () => child !== undefined && child.exitCode === null && child.signalCode === null;

  async function start(): Promise<void> {
    if (removed) throw new Error("private MariaDB: cleaned up already");
    if (isRunning()) throw new Error("private MariaDB: already running");
    const proc = spawn(
      MARIADBD,
      [
        "--no-defaults",
        `--datadir=${datadir}`,
        `--port=${port}`,
        "--bind-address=127.0.0.1",
        `--socket=${path.join(dir, "mysqld.sock")}`,
        `--pid-file=${path.join(dir, "mysqld.pid")}`,
        `--log-error=${errorLogPath}`,
        "--skip-name-resolve",
        "--skip-log-bin",
        "--innodb-buffer-pool-size=64M",
        "--max-connections=200",
        ...(process.getuid?.() === 0 ? ["--user=root"] : []),
      ],
      { stdio: "ignore" },
    );
    child = proc;
    exited = new Promise((resolve) => proc.once("exit", () => resolve()));
    const deadline = Date.now() + startTimeoutMs;
    while (Date.now() < deadline) {
      if (!isRunning()) {
        throw new Error(`private MariaDB exited while starting:\n${await errorLog()}`);
      }
      if (await answers(port)) return;
      await sleep(100);
    }
    throw new Error(`private MariaDB did not answer within ${startTimeoutMs} ms:\n${await errorLog()}`);
  }

  async function signal(sig: NodeJS.Signals): Promise<void> {
    if (!isRunning()) return;
    child?.kill(sig);
    await exited;
  }

  async function errorLog(): Promise<string> {
    return readFile(errorLogPath, "utf8").catch(() => "(no error log)");
  }

  const server: PrivateMariaDb = {
    port,
    dir,
    serverUrl: `mysql://root@127.0.0.1:${port}`,
    urlFor: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    running: isRunning,
    start,
    stop: () => signal("SIGTERM"),
    kill: () => signal("SIGKILL"),
    async restart() {
      await signal("SIGTERM");
      await start();
    },
    async cleanup() {
      if (removed) return;
      // A clean shutdown can take a while under load; a crash is as good for a directory about to go.
      const timer = setTimeout(() => child?.kill("SIGKILL"), 30_000);
      try {
        await signal("SIGTERM");
      } finally {
        clearTimeout(timer);
      }
      removed = true;
      await rm(dir, { recursive: true, force: true });
    },
    errorLog,
  };
  try {
    await start();
  } catch (err) {
    await server.cleanup();
    throw err;
  }
  return server;
}
