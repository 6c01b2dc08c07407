/**
 * Crash safety on the real node (issue 8): the reconciler process, killed with SIGKILL while a
 * WordPress site's install Job runs, converges after a restart with no second install and no
 * orphaned database. The reconciler runs as its own process (lib/reconciler/main.ts, as
 * `npm run reconciler` starts it), with the test process's environment and the test database.
 */
import { BatchV1Api, CoreV1Api } from "@kubernetes/client-node";
import mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accountNamespace, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  randomSlug,
} from "./test-support";
import { type ReconcilerProcess, startReconcilerProcess, stopReconcilerProcess, tail } from "./test-process";

describe("reconciler killed with SIGKILL mid-install", () => {
  let db: TestDatabase;
  let account: { id: string; slug: string };
  const processes: ReconcilerProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    account = await createCustomerAccount(db.prisma, randomSlug("sk"));
  });

  afterAll(async () => {
    for (const proc of processes) await stopReconcilerProcess(proc);
    if (account) await deleteNamespaces(testKubeConfig(), [accountNamespace(account.slug)]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  it("converges after a restart with one install, one WordPress admin and one database", async () => {
    const kc = testKubeConfig();
    const batch = kc.makeApiClient(BatchV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const namespace = accountNamespace(account.slug);
    // A name no other test uses: the database and user names start with sp_<name>_.
    const name = randomSlug("kill");
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name,
      domain: `${name}.${account.slug}.test`,
    });
    const secrets = openSiteSecrets(
      (await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } })).secretsCiphertext,
    );
    const env = { ...process.env, DATABASE_URL: db.url, KUBECONFIG: process.env.KUBECONFIG };

    // Every install Job seen at any poll, so a second one that came and went is still caught.
    const jobsSeen = new Set<string>();
    const listJobs = async () => {
      const jobs = await batch.listNamespacedJob({ namespace, labelSelector: `${SITE_LABEL}=${site.id}` });
      const names = jobs.items.map((j) => j.metadata?.name ?? "");
      for (const n of names) jobsSeen.add(n);
      return names;
    };

    const first = startReconcilerProcess(env);
    processes.push(first);
    const installJob = `${name}-install-1`;
    // Mid-install: the Job exists and its pod runs sitepod-wp-install.
    const installPod = await eventually(
      "the install Job's pod to be running",
      async () => {
        if (first.child.exitCode !== null) throw new Error(`reconciler exited:\n${tail(first)}`);
        if (!(await listJobs()).includes(installJob)) return undefined;
        const pods = await core.listNamespacedPod({ namespace, labelSelector: `job-name=${installJob}` });
        return pods.items.find((p) => p.status?.phase === "Running")?.metadata?.name;
      },
      180_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nreconciler output:\n${tail(first)}`);
    });
    expect(installPod.startsWith(`${installJob}-`)).toBe(true);

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    // Killed mid-install: the site was not recorded as installed.
    const killed = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(killed.installedAt).toBeNull();
    expect(killed.phase).not.toBe("RUNNING");

    const second = startReconcilerProcess(env);
    processes.push(second);
    await eventually(
      "the site to be RUNNING",
      async () => {
        if (second.child.exitCode !== null) throw new Error(`reconciler exited:\n${tail(second)}`);
        await listJobs();
        const row = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
        return row.phase === "RUNNING" ? row : undefined;
      },
      240_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\nreconciler output:\n${tail(second)}`);
    });

    // One install: generation 1 only, recorded once.
    const row = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(row.installGeneration).toBe(1);
    expect(row.installedAt).not.toBeNull();
    expect([...(await listJobs())].every((n) => n === installJob)).toBe(true);
    expect([...jobsSeen]).toEqual([installJob]);
    const statusRows = await db.prisma.changeLog.findMany({ where: { objectId: site.id, action: "STATUS" } });
    expect(statusRows.filter((r) => (r.data as { installed?: boolean }).installed)).toHaveLength(1);

    const conn = await mariadb.createConnection({ host: "127.0.0.1", port: 3306, user: "root" });
    try {
      // Exactly one database and one user for the site: no orphan of the killed pass.
      const like = `sp\\_${name.replace(/-/g, "\\_")}\\_%`;
      const schemas = (await conn.query(
        "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
        [like],
      )) as { name: string }[];
      expect(schemas.map((s) => s.name)).toEqual([secrets.database.name]);
      const users = (await conn.query("SELECT User AS user, Host AS host FROM mysql.user WHERE User LIKE ?", [
        like,
      ])) as { user: string; host: string }[];
      expect(users).toEqual([{ user: secrets.database.user, host: "%" }]);
      const grants = (await conn.query("SELECT Db AS db FROM mysql.db WHERE User = ?", [
        secrets.database.user,
      ])) as { db: string }[];
      expect(grants.map((g) => g.db.replace(/\\_/g, "_"))).toEqual([secrets.database.name]);

      // WordPress installed once, with the site's title and its one admin.
      await conn.query(`USE \`${secrets.database.name}\``);
      const [wpUsers] = (await conn.query(
        "SELECT COUNT(*) AS n, MIN(user_login) AS login FROM wp_users",
      )) as {
        n: bigint;
        login: string;
      }[];
      expect({ n: Number(wpUsers?.n), login: wpUsers?.login }).toEqual({ n: 1, login: "admin" });
      const blogname = (await conn.query(
        "SELECT option_value AS value FROM wp_options WHERE option_name = 'blogname'",
      )) as { value: string }[];
      expect(blogname.map((b) => b.value)).toEqual([name]);
      const state = (await conn.query("SELECT state FROM sitepod_install")) as { state: string }[];
      expect(state).toEqual([{ state: "done" }]);
    } finally {
      await conn.end();
    }
  }, 600_000);
});
