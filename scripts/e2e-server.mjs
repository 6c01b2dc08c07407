#!/usr/bin/env node
/**
 * The e2e web server, started by playwright.config.ts's webServer: builds the panel (unless
 * SITEPOD_E2E_SKIP_BUILD=1), waits for e2e/global-setup.ts to write the run's state file (database
 * URL, kubeconfig), then runs `next start` on 127.0.0.1:$SITEPOD_E2E_PORT and the reconciler, both
 * against the e2e database. Stops both when it is signalled or when either of them exits.
 * Plain Node so that it needs no TypeScript loader of its own.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.SITEPOD_E2E_PORT;
const stateFile = process.env.SITEPOD_E2E_STATE_FILE;
if (!port || !stateFile) {
  process.stderr.write("e2e-server: SITEPOD_E2E_PORT and SITEPOD_E2E_STATE_FILE must be set\n");
  process.exit(2);
}
const serverFile = stateFile.replace(/\.json$/, ".server.json");
const STATE_TIMEOUT_MS = 20 * 60_000;

const children = new Set();
let stopping = false;

function say(line) {
  process.stderr.write(`[e2e-server] ${line}\n`);
}

function fail(message) {
  say(message);
  writeFileSync(serverFile, JSON.stringify({ error: message }));
  void stop(1);
}

function bin(name) {
  return path.join(root, "node_modules", ".bin", name);
}

function start(name, command, args, env) {
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
  children.add(child);
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!stopping) fail(`${name} exited (${signal ?? code})`);
  });
  return child;
}

function run(name, command, args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "inherit", "inherit"] });
    children.add(child);
    child.on("exit", (code, signal) => {
      children.delete(child);
      if (code === 0) resolve();
      else reject(new Error(`${name} failed (${signal ?? code})`));
    });
  });
}

async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  const deadline = Date.now() + 10_000;
  while (children.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const child of children) child.kill("SIGKILL");
  process.exit(code);
}

process.on("SIGTERM", () => void stop(0));
process.on("SIGINT", () => void stop(0));

async function waitForState() {
  const deadline = Date.now() + STATE_TIMEOUT_MS;
  while (!existsSync(stateFile)) {
    if (stopping) return null;
    if (Date.now() > deadline) throw new Error(`no state file at ${stateFile} after 20 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return JSON.parse(readFileSync(stateFile, "utf8"));
}

async function main() {
  rmSync(serverFile, { force: true });
  if (process.env.SITEPOD_E2E_SKIP_BUILD !== "1") {
    say("next build");
    await run("next build", bin("next"), ["build"], { ...process.env, NODE_ENV: "production" });
  }
  const state = await waitForState();
  if (!state) return;
  const env = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: state.databaseUrl,
    KUBECONFIG: state.kubeconfig,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    // Fresh keys per run: nothing signed or sealed in one run is readable in another.
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    SITEPOD_SECRET_KEY: randomBytes(32).toString("base64"),
  };
  say(`next start on 127.0.0.1:${port} and the reconciler`);
  start("next start", bin("next"), ["start", "--hostname", "127.0.0.1", "--port", port], env);
  start("reconciler", bin("tsx"), ["lib/reconciler/main.ts"], env);
  writeFileSync(serverFile, JSON.stringify({ pid: process.pid }));
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
