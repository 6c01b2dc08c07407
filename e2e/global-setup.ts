import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ensureCluster } from "../cluster/cluster";
import { createPrismaClient } from "../lib/db";
import { migrateDatabase, parseDatabaseUrl } from "../lib/db/migrate";
import { seedDatabase } from "../prisma/seed";
import { createDatabase } from "../tests/helpers/mariadb-admin";
import { baseUrl, e2eDatabaseUrl, type RunState, runStateFile } from "./support/run";

const SERVER_READY_TIMEOUT_MS = 15 * 60_000;

function say(line: string): void {
  process.stderr.write(`[e2e] ${line}\n`);
}

/** The web server script writes `{ pid }` when it serves, or `{ error }` when it gave up. */
function serverStatus(): { pid?: number; error?: string } | null {
  const file = runStateFile().replace(/\.json$/, ".server.json");
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, "utf8")) as { pid?: number; error?: string };
}

async function waitForServer(): Promise<void> {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  const url = `${baseUrl()}/sign-in`;
  for (;;) {
    const status = serverStatus();
    if (status?.error) throw new Error(`e2e web server failed: ${status.error}`);
    if (status?.pid) {
      const ok = await fetch(url)
        .then((res) => res.ok)
        .catch(() => false);
      if (ok) return;
    }
    if (Date.now() > deadline) throw new Error(`e2e web server not ready at ${url} after 15 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Starts (or reuses) the local cluster, creates a fresh `sitepod_e2e_<hex>` database on the local
 * MariaDB, migrates and seeds it, and hands both to the web server (through the state file) and to
 * the tests (through process.env, which the workers inherit).
 */
export default async function globalSetup(): Promise<void> {
  const { kubeconfig, startedByUs } = await ensureCluster((line) => say(`cluster: ${line}`));
  process.env.KUBECONFIG = kubeconfig;

  const databaseUrl = e2eDatabaseUrl();
  say(`database ${parseDatabaseUrl(databaseUrl).database}`);
  await createDatabase(databaseUrl);
  await migrateDatabase({ url: databaseUrl });
  const prisma = createPrismaClient(databaseUrl);
  try {
    await seedDatabase({ prisma });
  } finally {
    await prisma.$disconnect();
  }

  const state: RunState = { databaseUrl, kubeconfig, startedCluster: startedByUs };
  mkdirSync(path.dirname(runStateFile()), { recursive: true });
  writeFileSync(runStateFile(), JSON.stringify(state, null, 2), { mode: 0o600 });
  process.env.SITEPOD_E2E_DATABASE_URL = databaseUrl;

  say(`waiting for the web server at ${baseUrl()}`);
  await waitForServer();
  say("web server ready");
}
