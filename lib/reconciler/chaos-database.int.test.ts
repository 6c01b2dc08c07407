/**
 * Issue 12 (chaos): MariaDB restarted while the panel and the reconciler work. On a MariaDB server
 * of the test's own (the machine's is shared and never stopped), a reconciler process
 * (lib/reconciler/main.ts, as `npm run reconciler` starts it) provisions sites on kwok's nodes
 * while the panel's services create more; the server goes down mid-provisioning: the panel's
 * requests fail with UNAVAILABLE, the reconciler logs and retries. Once the server is back, the
 * panel creates sites on the same client, every site converges to RUNNING, and the reconciler
 * that converges them is the very process started before the restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setPrismaClient } from "@/lib/db";
import { DATABASE_UNAVAILABLE_MESSAGE } from "@/lib/db/unavailable";
import { toAppError } from "@/lib/errors";
import type { Account } from "@/lib/generated/prisma/client";
import { accountNamespace } from "@/lib/k8s/manifests/labels";
import { createSite } from "@/lib/services/site/create-site";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestAccount, createTestDatabase, createTestUser, type TestDatabase } from "@/tests/helpers/db";
import { type PrivateMariaDb, startPrivateMariaDb } from "@/tests/helpers/private-mariadb";
import {
  isRunning,
  logLines,
  type ReconcilerProcess,
  startReconcilerProcess,
  stopReconcilerProcess,
  tail,
} from "./test-process";
import {
  deleteNamespaces,
  dropSiteDatabases,
  ensureKwokStorageClass,
  eventually,
  kwokPlacementEnv,
  randomSlug,
} from "./test-support";

const SITES_BEFORE = 10;
const SITES_AFTER = 2;

let server: PrivateMariaDb | undefined;
let db: TestDatabase | undefined;
let account: Account;
let userId: string;
let reconciler: ReconcilerProcess | undefined;
const previousUrl = process.env.DATABASE_URL;

beforeAll(async () => {
  await ensureKwokStorageClass(testKubeConfig());
  server = await startPrivateMariaDb();
  db = await createTestDatabase({ serverUrl: server.serverUrl });
  // The panel's services in this process use the same database as the reconciler.
  process.env.DATABASE_URL = db.url;
  setPrismaClient(db.prisma);
  const platform = await createTestAccount(db.prisma, { slug: randomSlug("plat"), kind: "PLATFORM" });
  account = await createTestAccount(db.prisma, { slug: randomSlug("dbchaos"), parent: platform });
  const user = await createTestUser(db.prisma, {
    email: "owner@dbchaos.test",
    roles: [{ account, role: "OWNER" }],
  });
  userId = user.id;
}, 180_000);

afterAll(async () => {
  if (reconciler) await stopReconcilerProcess(reconciler);
  setPrismaClient(undefined);
  if (previousUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = previousUrl;
  if (account) await deleteNamespaces(testKubeConfig(), [accountNamespace(account.slug)]);
  // The sites' own databases live on the machine's server (SITEPOD_SITE_DB_ADMIN_URL), not ours.
  if (db && server?.running()) await dropSiteDatabases(db.prisma).catch(() => undefined);
  await db?.prisma.$disconnect();
  await server?.cleanup();
}, 180_000);

function newSite(name: string) {
  return createSite({
    actor: { userId },
    accountId: account.id,
    input: { name, domain: `${name}.${account.slug}.test` },
  });
}

function withOutput<T>(promise: Promise<T>): Promise<T> {
  return promise.catch((err: unknown) => {
    throw new Error(`${String(err)}\nreconciler output:\n${tail(reconciler, 60)}`);
  });
}

describe("MariaDB restarted while the panel and the reconciler work", () => {
  it("fails the panel's requests clearly meanwhile, and both recover without a restart", async () => {
    if (!db || !server) throw new Error("no database");
    const prisma = db.prisma;
    const proc = startReconcilerProcess({
      ...process.env,
      ...kwokPlacementEnv(),
      DATABASE_URL: db.url,
      KUBECONFIG: process.env.KUBECONFIG,
      SITEPOD_LOG_LEVEL: "info",
    });
    reconciler = proc;
    const pid = proc.child.pid;
    await withOutput(
      eventually(
        "the reconciler to start",
        () => {
          if (!isRunning(proc)) throw new Error("reconciler exited");
          return logLines(proc).find((l) => l.msg === "reconciler started");
        },
        120_000,
      ),
    );

    const before: string[] = [];
    for (let i = 0; i < SITES_BEFORE; i++) before.push((await newSite(`before-${i}`)).site.id);

    // Mid-provisioning: the reconciler has written status for some sites, not every one is RUNNING.
    await withOutput(
      eventually(
        "provisioning to be under way",
        async () => {
          const statuses = await prisma.changeLog.count({
            where: { kind: "Site", action: "STATUS", objectId: { in: before } },
          });
          return statuses > 0 ? statuses : undefined;
        },
        120_000,
      ),
    );
    // Read just before the stop (a site may still turn RUNNING in between): the test only counts
    // as a restart mid-provisioning if some sites had not converged then.
    const runningAtStop = await prisma.site.count({ where: { id: { in: before }, phase: "RUNNING" } });

    await server.stop();
    const stoppedAt = Date.now();
    // The panel: a request meets a database that does not answer and says so.
    const refused = await newSite("during").then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refused).toBeDefined();
    const answered = toAppError(refused, { test: "chaos-database" });
    expect({ code: answered.code, message: answered.message }).toEqual({
      code: "UNAVAILABLE",
      message: DATABASE_UNAVAILABLE_MESSAGE,
    });
    // The reconciler: notices (its loops log the database's absence) and stays up.
    await withOutput(
      eventually(
        "the reconciler to log the database's absence",
        () => {
          if (!isRunning(proc)) throw new Error("reconciler exited while the database was down");
          return logLines(proc).find(
            (l) =>
              Date.parse(l.time) >= stoppedAt &&
              (l.event === "db.unavailable" || l.msg === "heartbeat not written"),
          );
        },
        60_000,
      ),
    );
    expect(isRunning(proc)).toBe(true);

    await server.start();
    const restartedAt = new Date();
    // The panel, same process, same client: creating works again, nothing of the refused one exists.
    expect(await prisma.site.count({ where: { accountId: account.id, name: "during" } })).toBe(0);
    const after: string[] = [];
    for (let i = 0; i < SITES_AFTER; i++) after.push((await newSite(`after-${i}`)).site.id);
    const all = [...before, ...after];

    await withOutput(
      eventually(
        `all ${all.length} sites to be RUNNING`,
        async () => {
          if (!isRunning(proc)) throw new Error("reconciler exited");
          const running = await prisma.site.count({ where: { id: { in: all }, phase: "RUNNING" } });
          return running === all.length ? running : undefined;
        },
        300_000,
      ),
    );

    // The same reconciler process did it, and it beats again on its own.
    expect(isRunning(proc)).toBe(true);
    expect(proc.child.pid).toBe(pid);
    await withOutput(
      eventually(
        "a heartbeat of the same process after the restart",
        async () => {
          const beats = await prisma.reconcilerHeartbeat.findMany({
            where: { beatAt: { gte: restartedAt } },
          });
          return beats.some((b) => b.holder.endsWith(`-${pid}`)) ? true : undefined;
        },
        60_000,
      ),
    );
    // Nothing it logged was a crash or a failed start.
    const fatal = logLines(proc).filter(
      (l) => l.msg === "reconciler failed to start" || l.msg === "shutdown failed",
    );
    expect(fatal).toEqual([]);
    // It really went through the outage mid-provisioning.
    expect(runningAtStop).toBeLessThan(before.length);
  }, 600_000);
});
