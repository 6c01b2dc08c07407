import { CoreV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { createSiteDbAdmin, type SiteDbAdmin } from "@/lib/site-db/admin";
import { parseConditions } from "@/lib/views";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  listSiteObjects,
  randomSlug,
  requestSiteDeletion,
  siteDatabaseExists,
} from "./test-support";

describe("site database in the reconciler", () => {
  const kc = testKubeConfig();
  let db: TestDatabase;
  let account: { id: string; slug: string };
  let reconciler: Reconciler | undefined;
  // Nothing listens on port 1: every statement fails the way a server that is down does.
  const unreachable = createSiteDbAdmin("mysql://root@127.0.0.1:1", { timeoutMs: 500 });
  const real = createSiteDbAdmin();
  let serverUp = false;
  const siteDb: SiteDbAdmin = {
    query: (sql, values) => (serverUp ? real : unreachable).query(sql, values),
    close: async () => {},
  };
  const passes: Array<{ siteId: string; outcome: string }> = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    account = await createCustomerAccount(db.prisma, randomSlug("sd"));
    reconciler = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      siteDb,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 100, maxDelayMs: 1_000 },
      hooks: { onReconciled: (siteId, result) => passes.push({ siteId, outcome: result.outcome }) },
    });
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (account) await deleteNamespaces(kc, [`sp-${account.slug}`]);
    if (db) await dropSiteDatabases(db.prisma);
    await Promise.all([unreachable.close(), real.close()]);
    await db?.drop();
  });

  it("reports an unreachable database server as Degraded/DatabaseUnavailable, retries, then recovers", async () => {
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "shop",
      domain: `${account.slug}.example.test`,
    });
    const degraded = await eventually("site DEGRADED", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
      return s.phase === "DEGRADED" ? s : undefined;
    });
    const condition = parseConditions(degraded.conditions).find((c) => c.type === "Degraded");
    expect(condition).toMatchObject({ status: "True", reason: "DatabaseUnavailable" });
    // The tenant sees that the database is down, not the operator's server address.
    expect(condition?.message).not.toContain("127.0.0.1");
    await eventually("three failed passes (retried with backoff)", () =>
      passes.filter((p) => p.siteId === site.id && p.outcome === "error").length >= 3 ? true : undefined,
    );
    // Nothing of the site runs or is routed to while its database cannot be created: at most what
    // its pods will read (applied while the database is being made) waits for it.
    const kinds = new Set((await listSiteObjects(kc, site.id)).map((o) => o.kind));
    expect(
      [...kinds].filter((k) => !["ConfigMap", "Secret", "PersistentVolumeClaim"].includes(k ?? "")),
    ).toEqual([]);

    serverUp = true;
    const running = await eventually("site RUNNING", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
      return s.phase === "RUNNING" ? s : undefined;
    });
    expect(parseConditions(running.conditions).find((c) => c.type === "Degraded")).toMatchObject({
      status: "False",
    });
    const { name } = openSiteSecrets(running.secretsCiphertext).database;
    expect(await siteDatabaseExists(name)).toBe(true);

    // A `-tls` Secret that cert-manager did not issue is the user's: site deletion leaves it.
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedSecret({
      namespace: `sp-${account.slug}`,
      body: { metadata: { name: "shop-tls" }, stringData: { note: "mine" } },
    });
    await requestSiteDeletion(db.prisma, site.id, account.id);
    await eventually("site rows deleted", async () =>
      (await db.prisma.site.findUnique({ where: { id: site.id } })) === null ? true : undefined,
    );
    expect(await siteDatabaseExists(name)).toBe(false);
    const kept = await core.readNamespacedSecret({ name: "shop-tls", namespace: `sp-${account.slug}` });
    expect(kept.metadata?.name).toBe("shop-tls");
  });
});
