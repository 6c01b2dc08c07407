#!/usr/bin/env node
/**
 * npm run up: runs Sitepod locally with its defaults on a fresh machine.
 *   1. installs dependencies if missing
 *   2. migrates and seeds the database (DATABASE_URL, default the local MariaDB)
 *   3. starts the local Kubernetes cluster unless KUBECONFIG points at one (with its real node,
 *      whose settings it passes on and whose runtime images it registers in the runtime catalog)
 *   4. registers the machine's MariaDB and PostgreSQL as database servers (prisma/register-database-servers.ts)
 *   5. starts the local mail server (Mailpit, scripts/mailpit.mjs) on loopback unless SITEPOD_SMTP_URL
 *      names one, and sends Sitepod's mail (password resets, invitations) to it
 *   6. builds the panel and serves it on http://127.0.0.1:3000 (its heap bounded as everywhere the
 *      web process runs: scripts/web-process.mjs), with the reconciler beside it (bundled, as the
 *      API server is, by scripts/build-processes.mjs), and the
 *      Kubernetes-style API server for hosting.sitepod.io on https://127.0.0.1:3443 (PORT + 443;
 *      SITEPOD_APISERVER_PORT), with a CA and serving certificate generated into the state folder
 *      (scripts/local-certs.mjs) for kubectl to trust
 * The production build takes its keys from the environment, as in any deployment; the ones not set
 * are generated once into the state folder (SITEPOD_STATE_DIR, default .sitepod/): scripts/local-keys.mjs.
 * The end-to-end suite starts Sitepod through this very script (e2e/global-setup.ts), with only
 * DATABASE_URL, PORT and SITEPOD_STATE_DIR changed.
 * Plain Node (no TypeScript) because it runs before dependencies are installed.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { createServer } from "node:net";
import path from "node:path";
import { PROCESS_ENV, PROCESS_NODE_ARGS } from "./bundle-options.mjs";
import { ensureLocalCerts } from "./local-certs.mjs";
import { ensureLocalKeys } from "./local-keys.mjs";
import { buildMailpit, mailpitArgs, mailpitUrls, pickPorts, waitForMailpit } from "./mailpit.mjs";
import { webNodeOptions } from "./web-process.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "3000";
const stateDir = path.resolve(process.env.SITEPOD_STATE_DIR ?? path.join(root, ".sitepod"));
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/sitepod",
  NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`,
  SITEPOD_STATE_DIR: stateDir,
};
let apiPort = process.env.SITEPOD_APISERVER_PORT ?? String(Number(port) + 443);
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
function serve(name, cmd, args, extraEnv = {}) {
  const child = spawn(cmd, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    stdio: "inherit",
    detached: true,
  });
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

/**
 * The local mail server, a child like the web server (stopping `npm run up` stops it, and it
 * stopping stops `npm run up`). Its addresses and pid go into <state>/mailpit.json for tools and
 * tests (e2e/global-setup.ts).
 */
async function startLocalMail() {
  const binary = await buildMailpit((line) => say(line));
  const ports = await pickPorts({ smtpPort: 1025, uiPort: 8025 });
  const urls = mailpitUrls(ports);
  const child = serve("mail server", binary, mailpitArgs(ports));
  await waitForMailpit(urls.apiUrl, () => child.exitCode === null && child.signalCode === null);
  env.SITEPOD_SMTP_URL = urls.smtpUrl;
  mkdirSync(stateDir, { recursive: true });
  // Its pid too: whoever stops `npm run up` can make sure the mail server went with it.
  writeFileSync(
    path.join(stateDir, "mailpit.json"),
    `${JSON.stringify({ ...urls, pid: child.pid }, null, 2)}\n`,
  );
  return urls;
}

/** `preferred` when free on 127.0.0.1, else a free port the system picks. */
function freePort(preferred) {
  const listen = (p) =>
    new Promise((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(p, "127.0.0.1", () => {
        const chosen = probe.address().port;
        probe.close(() => resolve(String(chosen)));
      });
    });
  return listen(Number(preferred)).catch(() => listen(0));
}

/** Whether the API server answers its readiness check over TLS signed by our CA. */
function apiServerReady(url, ca) {
  return new Promise((resolve) => {
    const req = httpsGet(url, { ca, timeout: 5_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

/** Resolves once `probe` answers true (the panel's readiness: database reachable), or rejects. */
async function waitUntilReady(
  what,
  url,
  probe = () => fetch(url, { signal: AbortSignal.timeout(5_000) }).then((res) => res.ok),
) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (stopping) throw new Error(`stopped before ${what} was ready`);
    const ok = await probe().catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${what} did not become ready at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * A kubeconfig for the local API server without credentials: kubectl takes the API token with
 * --token. Namespaces are accounts' short names.
 */
function writeApiKubeconfig(certs) {
  const file = path.join(certs.dir, "kubeconfig");
  const config = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: sitepod",
    "    cluster:",
    `      server: https://127.0.0.1:${apiPort}`,
    `      certificate-authority: ${certs.caCert}`,
    "users:",
    "  - name: sitepod",
    "    user: {}",
    "contexts:",
    "  - name: sitepod",
    "    context:",
    "      cluster: sitepod",
    "      user: sitepod",
    "current-context: sitepod",
    "",
  ].join("\n");
  writeFileSync(file, config, { mode: 0o600 });
  return file;
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

async function main() {
  const keys = ensureLocalKeys(stateDir, process.env);
  env.NEXTAUTH_SECRET = keys.NEXTAUTH_SECRET;
  env.SITEPOD_SECRET_KEY = keys.SITEPOD_SECRET_KEY;
  const certs = ensureLocalCerts(stateDir);
  if (!process.env.SITEPOD_APISERVER_PORT) {
    const preferred = apiPort;
    apiPort = await freePort(preferred);
    if (apiPort !== preferred) say(`Port ${preferred} is taken: the API server uses ${apiPort}.`);
  }
  env.SITEPOD_APISERVER_TLS_CERT = certs.cert;
  env.SITEPOD_APISERVER_TLS_KEY = certs.key;
  env.SITEPOD_APISERVER_HOST = "127.0.0.1";
  env.SITEPOD_APISERVER_PORT = apiPort;
  // For the panel: what a downloaded kubeconfig points at and trusts.
  env.SITEPOD_APISERVER_URL = `https://127.0.0.1:${apiPort}`;
  env.SITEPOD_APISERVER_CA_FILE = certs.caCert;

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

  let mailbox = null;
  if (process.env.SITEPOD_SMTP_URL) {
    say("Sending mail through the SMTP server in SITEPOD_SMTP_URL.");
    rmSync(path.join(stateDir, "mailpit.json"), { force: true });
  } else {
    say("Starting the local mail server (Mailpit)...");
    mailbox = await startLocalMail();
  }

  say("Building the panel...");
  await run(bin("next"), ["build"]);
  say("Building the reconciler and the API server...");
  await run(process.execPath, ["scripts/build-processes.mjs"]);

  // As the container image runs them (deploy/reconciler.yaml, deploy/apiserver.yaml).
  serve("reconciler", process.execPath, [...PROCESS_NODE_ARGS, "dist/reconciler.mjs"], PROCESS_ENV);
  serve("apiserver", process.execPath, [...PROCESS_NODE_ARGS, "dist/apiserver.mjs"], PROCESS_ENV);
  serve("web", bin("next"), ["start", "--hostname", "127.0.0.1", "--port", port], {
    NODE_OPTIONS: webNodeOptions(process.env.NODE_OPTIONS),
  });
  await waitUntilReady("the panel", `http://127.0.0.1:${port}/api/health/ready`);
  const apiUrl = `https://127.0.0.1:${apiPort}`;
  const ca = readFileSync(certs.caCert);
  await waitUntilReady("the API server", `${apiUrl}/readyz`, () => apiServerReady(`${apiUrl}/readyz`, ca));
  const kubeconfig = writeApiKubeconfig(certs);

  say("");
  say(`Sitepod is running on http://127.0.0.1:${port}`);
  if (env.SITEPOD_SITES_BASE_DOMAIN) {
    const gatewayPort = env.SITEPOD_SITES_BASE_URL_PORT ? `:${env.SITEPOD_SITES_BASE_URL_PORT}` : "";
    say(`Sites answer at http://<site>-<account>.${env.SITEPOD_SITES_BASE_DOMAIN}${gatewayPort}/`);
  }
  if (mailbox) say(`Mail Sitepod sends (password resets, invitations) lands in ${mailbox.uiUrl}`);
  say(`The Kubernetes-style API (hosting.sitepod.io/v1alpha1) is on ${apiUrl}; each account is a namespace`);
  say(`named by its short name. With an API token of yours:`);
  say(`  kubectl --kubeconfig ${kubeconfig} --token <token> get sites -A`);
  say(`  kubectl --kubeconfig ${kubeconfig} --token <token> -n <account> apply -f site.yaml`);
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
