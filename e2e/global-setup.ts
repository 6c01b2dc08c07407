import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureCluster, isAlive, stopCluster } from "../cluster/cluster";
import { parseDatabaseUrl } from "../lib/db/migrate";
import { createDatabase, dropDatabase } from "../tests/helpers/mariadb-admin";
import { stopProcessGroup } from "./support/processes";
import {
  baseUrl,
  e2eDatabaseUrl,
  namespacePrefix,
  ROOT,
  type RunState,
  readMailpitFile,
  runStateFile,
} from "./support/run";

/** `npm run up` builds the panel before it serves; on 2 cores that can take a few minutes. */
const SERVER_READY_TIMEOUT_MS = 15 * 60_000;

function say(line: string): void {
  process.stderr.write(`[e2e] ${line}\n`);
}

function tail(file: string, lines: number): string {
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

async function waitForServer(pid: number, log: string): Promise<void> {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  const url = `${baseUrl()}/api/health/ready`;
  for (;;) {
    if (!isAlive(pid))
      throw new Error(`npm run up exited before serving; its output ends:\n${tail(log, 40)}`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`Sitepod not ready at ${url} after 15 minutes (output: ${log})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Starts Sitepod exactly as a newcomer does, with `npm run up`'s own script (scripts/up.mjs: migrate,
 * seed, local cluster, production build, web server and reconciler, keys generated into its state
 * folder), changing only what a second installation on the same machine must: a scratch database
 * (`sitepod_e2e_<hex>`, created empty here), a free port, a scratch state folder and its own
 * tenant-namespace prefix (the cluster may hold `npm run up`'s own `sp-demo`). Nothing else is
 * set for it, so a setting that only tests had could not hide a broken `npm run up`.
 * Mail: as on a fresh machine, no SITEPOD_SMTP_URL, so the script builds (once, into the cache)
 * and starts its local Mailpit on free loopback ports and sends the run's mail there; the specs read
 * it through Mailpit's API (the run state's `mailpit`), and teardown stops it with `npm run up`.
 * The cluster is started (or reused) first so that teardown knows whether to stop it.
 */
export default async function globalSetup(): Promise<void> {
  const upEnv = { ...process.env };
  // An SMTP server in the caller's environment is not the run's: its mail would go out for real.
  delete upEnv.SITEPOD_SMTP_URL;
  const { kubeconfig, startedByUs } = await ensureCluster((line) => say(`cluster: ${line}`));
  process.env.KUBECONFIG = kubeconfig;

  const databaseUrl = e2eDatabaseUrl();
  say(`database ${parseDatabaseUrl(databaseUrl).database}`);
  await createDatabase(databaseUrl);
  process.env.SITEPOD_E2E_DATABASE_URL = databaseUrl;

  const runDir = runStateFile().replace(/\.json$/, "");
  const stateDir = path.join(runDir, "state");
  const serverLog = path.join(runDir, "up.log");
  mkdirSync(runDir, { recursive: true });
  const out = openSync(serverLog, "a");
  const port = new URL(baseUrl()).port;
  say(`npm run up on port ${port} (output: ${serverLog})`);
  const child = spawn(process.execPath, [path.join(ROOT, "scripts", "up.mjs")], {
    cwd: ROOT,
    env: {
      ...upEnv,
      DATABASE_URL: databaseUrl,
      PORT: port,
      SITEPOD_STATE_DIR: stateDir,
      SITEPOD_NAMESPACE_PREFIX: namespacePrefix(),
    },
    stdio: ["ignore", out, out],
    // Its own process group: teardown signals it, and it stops the web server, the reconciler and
    // its Mailpit.
    detached: true,
  });
  if (child.pid === undefined) throw new Error("could not start scripts/up.mjs");
  child.unref();

  const state: RunState = {
    databaseUrl,
    kubeconfig,
    startedCluster: startedByUs,
    serverPid: child.pid,
    stateDir,
    serverLog,
    mailpit: null,
  };
  writeFileSync(runStateFile(), JSON.stringify(state, null, 2), { mode: 0o600 });

  try {
    await waitForServer(child.pid, serverLog);
    // Written by scripts/up.mjs once Mailpit answered, before it built the panel.
    state.mailpit = readMailpitFile(stateDir);
    if (!state.mailpit) {
      throw new Error(`npm run up started no mail server (no ${path.join(stateDir, "mailpit.json")})`);
    }
    writeFileSync(runStateFile(), JSON.stringify(state, null, 2), { mode: 0o600 });
  } catch (err) {
    // Playwright runs no teardown for a setup that failed: undo what this one did. `npm run up`
    // stops the servers it started (web, reconciler, Mailpit) when asked to stop.
    await stopProcessGroup(child.pid, 30_000);
    const mailpit = readMailpitFile(stateDir);
    if (mailpit) await stopProcessGroup(mailpit.pid, 5_000);
    await dropDatabase(databaseUrl);
    if (startedByUs) await stopCluster();
    throw err;
  }
  say(`Sitepod serves; its mail goes to Mailpit at ${state.mailpit.uiUrl}`);
}
