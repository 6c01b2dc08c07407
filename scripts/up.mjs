#!/usr/bin/env node
/**
 * npm run up: runs Sitepod locally with its defaults on a fresh machine.
 *   1. installs dependencies if missing
 *   2. migrates and seeds the database (DATABASE_URL, default the local MariaDB)
 *   3. starts the local Kubernetes cluster unless KUBECONFIG points at one (with its real node,
 *      whose settings it passes on and whose runtime images it registers in the runtime catalog)
 *   4. registers the machine's MariaDB and PostgreSQL as database servers (prisma/register-database-servers.ts)
 *   5. builds the panel and serves it on http://127.0.0.1:3000, with the reconciler beside it
 * The production build takes its keys from the environment, as in any deployment; the ones not set
 * are generated once into the state folder (SITEPOD_STATE_DIR, default .sitepod/): scripts/local-keys.mjs.
 * The end-to-end suite starts Sitepod through this very script (e2e/global-setup.ts), with only
 * DATABASE_URL, PORT and SITEPOD_STATE_DIR changed.
 * Plain Node (no TypeScript) because it runs before dependencies are installed.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureLocalKeys } from "./local-keys.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";
const stateDir = path.resolve(process.env.SITEPOD_STATE_DIR ?? path.join(root, ".sitepod"));
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/sitepod",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`,
  SITEPOD_STATE_DIR: stateDir,
};
const READY_TIMEOUT_MS = 120_000;

function say(line) {
  process.stdout.write(`\x1b[1m[sitepod]\x1b[0m ${line}\n`);
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    if (stopping) return reject(new Error("stopping"));
    const child = spawn(cmd, args, {
      cwd: root,
      env: opts.env ?? env,
      stdio: opts.stdio ?? "inherit",
      detached: true,
    });
    children.push(child);
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

const children = [];
function bin(name) {
  return path.join(root, "node_modules", ".bin", name);
}

/** Each server runs in its own process group, so that stopping it stops its children too. */
function serve(name, cmd, args) {
  const child = spawn(cmd, args, { cwd: root, env, stdio: "inherit", detached: true });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping.`);
      void stop(1);
    }
  });
  return child;
}

let stopping = false;
function signalAll(signal) {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  }
}
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  signalAll("SIGTERM");
  // A child that ignores SIGTERM must not keep the port or the database busy after Ctrl+C.
  setTimeout(() => signalAll("SIGKILL"), 15_000).unref();
}

/** Resolves once the panel answers its readiness probe (database reachable), or rejects. */
async function waitUntilReady(url) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (stopping) throw new Error("stopped before the panel was ready");
    const ok = await fetch(url, { signal: AbortSignal.timeout(5_000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`the panel did not become ready at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function main() {
  const keys = ensureLocalKeys(stateDir, process.env);
  env.NEXTAUTH_SECRET = keys.NEXTAUTH_SECRET;
  env.SITEPOD_SECRET_KEY = keys.SITEPOD_SECRET_KEY;

  if (!existsSync(path.join(root, "node_modules", ".bin", "next"))) {
    say("Installing dependencies...");
    await run("npm", ["ci", "--no-audit", "--no-fund"]);
  }

  say(`Migrating the database (${env.DATABASE_URL.replace(/\/\/[^@]*@/, "//***@")})...`);
  await run(bin("tsx"), ["prisma/migrate.ts"]);
  say("Seeding...");
  await run(bin("tsx"), ["prisma/seed.ts"]);

  if (process.env.KUBECONFIG) {
    say(`Using the cluster in KUBECONFIG (${process.env.KUBECONFIG}).`);
  } else {
    say("Starting the local Kubernetes cluster...");
    await run(bin("tsx"), ["cluster/cli.ts", "up"]);
    env.KUBECONFIG = path.join(root, ".sitepod", "kubeconfig");
    // Its real node: where pods reach the database, the Gateway, the platform hostnames' URL, and
    // the runtime images it built, which go into the runtime catalog.
    const facts = JSON.parse(
      await run(bin("tsx"), ["cluster/cli.ts", "facts"], { stdio: ["ignore", "pipe", "inherit"] }),
    );
    Object.assign(env, facts.env);
    if (facts.runtimes.length > 0) {
      const file = path.join(stateDir, "runtimes.json");
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify(facts.runtimes, null, 2)}\n`);
      say(
        `Registering the runtime images: ${facts.runtimes.map((r) => `PHP ${r.phpVersion}`).join(", ")}...`,
      );
      await run(bin("tsx"), ["prisma/register-runtimes.ts", file]);
    }
  }

  // The machine's MariaDB (the one sites' own databases use) and PostgreSQL, as database servers
  // account members can create databases on; pods reach them where SITEPOD_SITE_DB_HOST says.
  say("Registering the local database servers...");
  await run(bin("tsx"), ["prisma/register-database-servers.ts"]);

  say("Building the panel...");
  await run(bin("next"), ["build"]);

  serve("reconciler", bin("tsx"), ["lib/reconciler/main.ts"]);
  serve("web", bin("next"), ["start", "--hostname", "127.0.0.1", "--port", port]);
  await waitUntilReady(`http://127.0.0.1:${port}/api/health/ready`);

  say("");
  say(`Sitepod is running on http://127.0.0.1:${port}`);
  if (env.SITEPOD_SITES_BASE_DOMAIN) {
    const gatewayPort = env.SITEPOD_SITES_BASE_URL_PORT ? `:${env.SITEPOD_SITES_BASE_URL_PORT}` : "";
    say(`Sites answer at http://<site>-<account>.${env.SITEPOD_SITES_BASE_DOMAIN}${gatewayPort}/`);
  }
  say("Sign in with the accounts printed by the seed above");
  say("(defaults: admin@sitepod.local / sitepod-admin, demo@sitepod.local / sitepod-demo,");
  say(" reseller@sitepod.local / sitepod-reseller, agency@sitepod.local / sitepod-agency).");
  say("Press Ctrl+C to stop. `npm run cluster:down` stops the local cluster.");
}

main().catch((err) => {
  if (stopping) return;
  say(`failed: ${err.message}`);
  void stop(1);
});
