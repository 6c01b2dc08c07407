import { existsSync, readFileSync, rmSync } from "node:fs";
import { isAlive, stopCluster } from "../cluster/cluster";
import { createPrismaClient, setPrismaClient } from "../lib/db";
import { parseDatabaseUrl } from "../lib/db/migrate";
import { deleteSite } from "../lib/services/site/delete-site";
import { dropDatabase as dropDatabaseOnServer } from "../tests/helpers/mariadb-admin";
import { type RunState, runStateFile } from "./support/run";

function say(line: string): void {
  process.stderr.write(`[e2e] ${line}\n`);
}

function serverPid(): number | null {
  const file = runStateFile().replace(/\.json$/, ".server.json");
  if (!existsSync(file)) return null;
  const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid?: number };
  return pid && isAlive(pid) ? pid : null;
}

/**
 * The cluster outlives the e2e database, so sites the specs left behind are deleted the way users
 * delete them, while the reconciler still runs; otherwise their objects would pile up in the tenant namespaces.
 */
async function deleteLeftoverSites(databaseUrl: string): Promise<void> {
  const prisma = createPrismaClient(databaseUrl);
  setPrismaClient(prisma);
  try {
    const owner = await prisma.user.findUnique({
      // The platform's owner reaches every account the specs created sites in.
      where: { email: "admin@sitepod.local" },
      select: { id: true },
    });
    const sites = await prisma.site.findMany({ where: { deletionRequestedAt: null }, select: { id: true } });
    if (owner) {
      for (const site of sites) {
        await deleteSite({ actor: { userId: owner.id, ip: null }, siteId: site.id }).catch((err: unknown) =>
          say(`could not delete site ${site.id}: ${String(err)}`),
        );
      }
    }
    const deadline = Date.now() + 60_000;
    while ((await prisma.site.count()) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const left = await prisma.site.count();
    if (left > 0) say(`${left} sites still deleting; their objects may remain in the cluster`);
  } finally {
    setPrismaClient(undefined);
    await prisma.$disconnect();
  }
}

/** Stops the web server and reconciler first: they hold connections to the database dropped next. */
async function stopServer(): Promise<void> {
  const file = runStateFile().replace(/\.json$/, ".server.json");
  if (!existsSync(file)) return;
  const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid?: number };
  rmSync(file, { force: true });
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 20_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/** Drops the run's database, refusing any name that is not an e2e one. */
async function dropE2eDatabase(url: string): Promise<void> {
  const parts = parseDatabaseUrl(url);
  if (!/^sitepod_e2e_[0-9a-f]+$/.test(parts.database)) {
    throw new Error(`Refusing to drop ${parts.database}: not an e2e database`);
  }
  await dropDatabaseOnServer(url);
}

export default async function globalTeardown(): Promise<void> {
  const state = existsSync(runStateFile())
    ? (JSON.parse(readFileSync(runStateFile(), "utf8")) as RunState)
    : null;
  if (state && serverPid() !== null) await deleteLeftoverSites(state.databaseUrl);
  await stopServer();
  if (!state) return;
  if (process.env.SITEPOD_E2E_KEEP_DATABASE === "1") {
    say(`keeping database ${state.databaseUrl}`);
  } else {
    await dropE2eDatabase(state.databaseUrl);
  }
  rmSync(runStateFile(), { force: true });
  if (state.startedCluster) {
    say("stopping the cluster this run started");
    await stopCluster();
  }
}
