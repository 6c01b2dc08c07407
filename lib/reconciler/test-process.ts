/**
 * The reconciler as its own process (lib/reconciler/main.ts, as `npm run reconciler` starts it),
 * for the tests that kill it: started with the given environment, its output kept for failure
 * messages and, parsed, for assertions on what it logged.
 */
import { type ChildProcess, spawn } from "node:child_process";

export interface ReconcilerProcess {
  child: ChildProcess;
  /** Everything it printed, in order. */
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startReconcilerProcess(env: NodeJS.ProcessEnv): ReconcilerProcess {
  // `node --import tsx` keeps the reconciler in this one process: the tsx CLI would run it in a
  // child of its own, which a SIGKILL to the CLI would leave running.
  const child = spawn(process.execPath, ["--import", "tsx", "lib/reconciler/main.ts"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  return { child, output, exited };
}

export function isRunning(proc: ReconcilerProcess): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** Stops a reconciler process: SIGTERM (a clean shutdown), SIGKILL if it has not exited in 20 s. */
export async function stopReconcilerProcess(proc: ReconcilerProcess): Promise<void> {
  if (!isRunning(proc)) return;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), 20_000);
  try {
    await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Kills it with SIGKILL and waits until it is gone. */
export async function killReconcilerProcess(proc: ReconcilerProcess): Promise<void> {
  if (!isRunning(proc)) return;
  proc.child.kill("SIGKILL");
  await proc.exited;
}

/** The last lines it printed, for a failure message. */
export function tail(proc: ReconcilerProcess | undefined, lines = 40): string {
  if (!proc) return "";
  return proc.output.join("").split("\n").slice(-lines).join("\n");
}

export interface LogLine {
  level: string;
  time: string;
  msg: string;
  [key: string]: unknown;
}

/** Its structured log lines (lib/log writes one JSON object per line). */
export function logLines(proc: ReconcilerProcess): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of proc.output.join("").split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // a line cut by the kill
    }
  }
  return lines;
}
