import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { isAlive, stopCluster } from "../cluster/cluster";
import { createPrismaClient, setPrismaClient } from "../lib/db";
import { parseDatabaseUrl } from "../lib/db/migrate";
import { MANAGED_SELECTOR } from "../lib/k8s/manifests/labels";
import { deleteSite } from "../lib/services/site/delete-site";
import { dropDatabase as dropDatabaseOnServer } from "../tests/helpers/mariadb-admin";
import { stopProcessGroup } from "./support/processes";
import { namespacePrefix, type RunState, readMailpitFile, runStateFile } from "./support/run";

function say(line: string): void {
  process.stderr.write(`[e2e] ${line}\n`);
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

/**
 * Stops `npm run up` (which stops the web server, the reconciler and its Mailpit) before the
 * database they use is dropped, then makes sure Mailpit is gone too (were `npm run up` killed
 * before it stopped its children). Their errors are printed: a failed spec is easier to read next
 * to the server's side.
 */
async function stopServer(state: RunState): Promise<void> {
  if (state.serverPid) await stopProcessGroup(state.serverPid, 30_000);
  const mailpit = state.mailpit ?? readMailpitFile(state.stateDir);
  if (mailpit) await stopProcessGroup(mailpit.pid, 5_000);
  if (existsSync(state.serverLog)) {
    const errors = readFileSync(state.serverLog, "utf8")
      .split("\n")
      .filter((line) => line.includes('"level":"error"'))
      .slice(-20);
    if (errors.length > 0) say(`server errors during the run (last ${errors.length}):\n${errors.join("\n")}`);
  }
  rmSync(path.dirname(state.serverLog), { recursive: true, force: true });
}

/**
 * Removes the run's tenant namespaces (its own prefix, labelled as Sitepod's): the reconciler is
 * gone and the next run uses another prefix, so nothing else would.
 */
async function deleteRunNamespaces(kubeconfig: string): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNamespace({ labelSelector: MANAGED_SELECTOR });
  const prefix = namespacePrefix();
  for (const ns of list.items) {
    const name = ns.metadata?.name ?? "";
    if (!name.startsWith(prefix)) continue;
    await core
      .deleteNamespace({ name })
      .catch((err: unknown) => say(`could not delete namespace ${name}: ${String(err)}`));
  }
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
  if (!state) return;
  if (state.serverPid && isAlive(state.serverPid)) await deleteLeftoverSites(state.databaseUrl);
  await stopServer(state);
  await deleteRunNamespaces(state.kubeconfig).catch((err: unknown) =>
    say(`could not list the run's namespaces: ${String(err)}`),
  );
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
