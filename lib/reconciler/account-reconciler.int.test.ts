import { randomBytes } from "node:crypto";
import { AppsV1Api, CoreV1Api, type KubeConfig, NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAN_LIMIT_RANGE_NAME, PLAN_QUOTA_NAME } from "@/lib/k8s/manifests/plan-quota";
import { SUSPENDED_PAGE_NAME } from "@/lib/k8s/manifests/suspended-page";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { parseConditions } from "@/lib/views";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, TEST_RUNTIMES, type TestDatabase } from "@/tests/helpers/db";
import type { AccountReconcileOutcome } from "./reconcile-account";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createPlanRow,
  createProviderAndCustomer,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  type PlanLimitsInput,
  randomSlug,
  readHttpRoute,
  siteDatabaseExists,
  updateAccountRow,
  updatePlanRow,
} from "./test-support";

const limits: PlanLimitsInput = {
  maxSites: 2,
  maxDomains: 5,
  maxDatabases: 2,
  maxCronJobs: 1,
  storageGiB: 20,
  cpuMillicores: 1000,
  memoryMiB: 2048,
  backupsKept: 3,
};

function notFound(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 404;
}

/** undefined while the object exists, true once the API server answers 404. */
async function gone(read: () => Promise<unknown>): Promise<true | undefined> {
  try {
    await read();
    return undefined;
  } catch (err) {
    if (notFound(err)) return true;
    throw err;
  }
}

describe("account reconciler", () => {
  let db: TestDatabase;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let net: NetworkingV1Api;
  let reconciler: Reconciler | undefined;
  let provider: { id: string; slug: string };
  let customer: { id: string; slug: string };
  let planId = "";
  let siteId = "";
  const namespaces: string[] = [];
  const accountPasses: Array<{ accountId: string; outcome: AccountReconcileOutcome | "error" }> = [];
  const namespace = () => `sp-${customer.slug}`;

  beforeAll(async () => {
    kc = testKubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
    net = kc.makeApiClient(NetworkingV1Api);
    db = await createTestDatabase();
    ({ provider, customer } = await createProviderAndCustomer(db.prisma, {
      provider: randomSlug("ar-p"),
      customer: randomSlug("ar-c"),
    }));
    namespaces.push(namespace());
    planId = (await createPlanRow(db.prisma, { ownerAccountId: provider.id, name: "Small", limits })).id;
    await updateAccountRow(db.prisma, customer.id, { planId });
    reconciler = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
      hooks: {
        onAccountReconciled: (accountId, result) =>
          accountPasses.push({ accountId, outcome: result.outcome }),
      },
    });
    siteId = (
      await createSiteRow(db.prisma, {
        accountId: customer.id,
        name: "shop",
        domain: `${customer.slug}.example.test`,
      })
    ).id;
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc) await deleteNamespaces(kc, namespaces);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  const readQuota = () => core.readNamespacedResourceQuota({ name: PLAN_QUOTA_NAME, namespace: namespace() });
  const readLimitRange = () =>
    core.readNamespacedLimitRange({ name: PLAN_LIMIT_RANGE_NAME, namespace: namespace() });
  const siteRow = () => db.prisma.site.findUniqueOrThrow({ where: { id: siteId } });
  const accountReady = async (accountId: string) =>
    parseConditions(
      (await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).conditions,
    ).find((c) => c.type === "Ready");

  it("applies the plan as a ResourceQuota and LimitRange that admit the site, with usage counted", async () => {
    await eventually("site RUNNING under the quota", async () =>
      (await siteRow()).phase === "RUNNING" ? true : undefined,
    );
    const quota = await eventually("quota usage counted", async () => {
      const q = await readQuota();
      return q.status?.used?.persistentvolumeclaims === "1" && q.status.used.pods === "1" ? q : undefined;
    });
    expect(quota.spec?.hard).toEqual({
      "requests.cpu": "1",
      "limits.cpu": "4",
      "requests.memory": "2Gi",
      "limits.memory": "2Gi",
      "requests.storage": "20Gi",
      persistentvolumeclaims: "2",
      pods: "6",
    });
    expect(quota.status?.used?.["requests.storage"]).toBe("5Gi");
    expect(quota.status?.used?.["requests.memory"]).toBe("224Mi");
    const lr = await readLimitRange();
    expect(lr.spec?.limits[0]).toMatchObject({
      type: "Container",
      _default: { cpu: "250m", memory: "128Mi" },
      defaultRequest: { cpu: "25m", memory: "32Mi" },
    });
    expect(
      await eventually(
        "account Ready",
        async () => (await accountReady(customer.id))?.status === "True" || undefined,
      ),
    ).toBe(true);
  });

  it("follows a change of the plan's limits, and keeps a quota without limits when the plan is taken away", async () => {
    await updatePlanRow(db.prisma, planId, { memoryMiB: 4096, maxSites: 3 });
    await eventually("quota updated", async () => {
      const q = await readQuota();
      return q.spec?.hard?.["limits.memory"] === "4Gi" && q.spec.hard.persistentvolumeclaims === "3"
        ? true
        : undefined;
    });

    // No tenant namespace is without a quota: without a plan (and no allotment above), it is the
    // largest plan Sitepod can express.
    await updateAccountRow(db.prisma, customer.id, { planId: null });
    await eventually("quota without limits", async () =>
      (await readQuota()).spec?.hard?.["limits.memory"] === "100000000Mi" ? true : undefined,
    );
    expect((await readLimitRange()).spec?.limits[0]?.type).toBe("Container");

    await updateAccountRow(db.prisma, customer.id, { planId });
    await eventually("quota back", async () =>
      (await readQuota()).spec?.hard?.["limits.memory"] === "4Gi" ? true : undefined,
    );
  });

  it("suspends: the site scales to zero, keeps its data, and its hostnames show the suspended page", async () => {
    await updateAccountRow(db.prisma, customer.id, {
      status: "SUSPENDED",
      suspendedReason: "Unpaid invoice",
    });

    const row = await eventually("site SUSPENDED with no pods", async () => {
      const s = await siteRow();
      const progressing = parseConditions(s.conditions).find((c) => c.type === "Progressing");
      return s.phase === "SUSPENDED" && progressing?.status === "False" ? s : undefined;
    });
    expect(parseConditions(row.conditions).find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "AccountSuspended",
      message: "The account is suspended: Unpaid invoice",
    });
    const dep = await apps.readNamespacedDeployment({ name: "shop", namespace: namespace() });
    expect(dep.spec?.replicas).toBe(0);
    expect(dep.status?.replicas ?? 0).toBe(0);
    // Only a finished install pod may stay (its Job goes by its TTL): nothing runs.
    await eventually("the site's pods gone", async () => {
      const pods = await core.listNamespacedPod({
        namespace: namespace(),
        labelSelector: `sitepod.io/site=${siteId}`,
      });
      return pods.items.every((p) => p.status?.phase === "Succeeded") ? true : undefined;
    });

    const route = await eventually("route to the suspended page", async () => {
      const r = await readHttpRoute(kc, "shop", namespace());
      return r.backends.every((b) => b === SUSPENDED_PAGE_NAME) ? r : undefined;
    });
    // The same hostnames, the platform's among them: certificates stay, visitors get the page.
    expect(route.hostnames).toEqual([`${customer.slug}.example.test`, `shop-${customer.slug}.localhost`]);
    const page = await eventually("suspended page available", async () => {
      const d = await apps.readNamespacedDeployment({ name: SUSPENDED_PAGE_NAME, namespace: namespace() });
      return d.status?.availableReplicas === 1 ? d : undefined;
    });
    // The newest runtime image the catalog offers.
    expect(page.spec?.template.spec?.containers[0]?.image).toBe(TEST_RUNTIMES[0].image);
    const service = await core.readNamespacedService({ name: SUSPENDED_PAGE_NAME, namespace: namespace() });
    expect(service.spec?.selector).toEqual(page.spec?.selector.matchLabels);
    const cm = await core.readNamespacedConfigMap({ name: SUSPENDED_PAGE_NAME, namespace: namespace() });
    expect(cm.data?.["index.html"]).toContain("This site is temporarily unavailable");

    // Data stays: the volume, the Secret and the database.
    await core.readNamespacedPersistentVolumeClaim({ name: "shop-files", namespace: namespace() });
    await core.readNamespacedSecret({ name: "shop-env", namespace: namespace() });
    const { database } = openSiteSecrets(row.secretsCiphertext);
    expect(await siteDatabaseExists(database.name)).toBe(true);
    // Written by the account's own pass, which need not have ended before the site's.
    await eventually("account Ready=False AccountSuspended", async () =>
      (await accountReady(customer.id))?.reason === "AccountSuspended" ? true : undefined,
    );
    expect(await accountReady(customer.id)).toMatchObject({
      status: "False",
      message: "The account is suspended: Unpaid invoice",
    });
  });

  it("unsuspends: replicas and the site's own backend come back, the suspended page goes", async () => {
    await updateAccountRow(db.prisma, customer.id, { status: "ACTIVE", suspendedReason: null });
    await eventually("site RUNNING again", async () =>
      (await siteRow()).phase === "RUNNING" ? true : undefined,
    );
    const dep = await apps.readNamespacedDeployment({ name: "shop", namespace: namespace() });
    expect(dep.spec?.replicas).toBe(1);
    expect(dep.status?.availableReplicas).toBe(1);
    expect((await readHttpRoute(kc, "shop", namespace())).backends).toEqual(["shop"]);
    for (const read of [
      () => apps.readNamespacedDeployment({ name: SUSPENDED_PAGE_NAME, namespace: namespace() }),
      () => core.readNamespacedService({ name: SUSPENDED_PAGE_NAME, namespace: namespace() }),
      () => core.readNamespacedConfigMap({ name: SUSPENDED_PAGE_NAME, namespace: namespace() }),
      () => net.readNamespacedNetworkPolicy({ name: SUSPENDED_PAGE_NAME, namespace: namespace() }),
    ]) {
      await eventually("suspended page object removed", () => gone(read));
    }
  });

  it("reports a site whose pod the plan has no room for as Degraded/QuotaExceeded", async () => {
    // The running site keeps its pod (quotas do not evict); a new one does not fit in 300 MiB.
    await updatePlanRow(db.prisma, planId, { memoryMiB: 300 });
    await eventually("quota lowered", async () =>
      (await readQuota()).spec?.hard?.["limits.memory"] === "300Mi" ? true : undefined,
    );
    const tiny = await createSiteRow(db.prisma, {
      accountId: customer.id,
      name: "tiny",
      domain: `tiny.${customer.slug}.example.test`,
    });
    const row = await eventually("second site Degraded", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: tiny.id } });
      return s.phase === "DEGRADED" ? s : undefined;
    });
    expect(parseConditions(row.conditions).find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "QuotaExceeded",
    });
    expect((await siteRow()).phase).toBe("RUNNING");
  });

  it("refuses to finish terminating an account that still has accounts below it", async () => {
    await updateAccountRow(db.prisma, provider.id, { terminationRequestedAt: new Date() });
    await eventually("a blocked pass over the provider", () =>
      accountPasses.some((p) => p.accountId === provider.id && p.outcome === "blocked") ? true : undefined,
    );
    expect(await db.prisma.account.count({ where: { id: provider.id } })).toBe(1);
    const conditions = parseConditions(
      (await db.prisma.account.findUniqueOrThrow({ where: { id: provider.id } })).conditions,
    );
    expect(conditions.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "TerminationBlocked",
      message: "1 account below this one must be terminated first",
    });
    expect(conditions.find((c) => c.type === "Degraded")?.status).toBe("True");
    expect(await db.prisma.site.count({ where: { id: siteId } })).toBe(1);
  });

  it("terminates: sites and databases, then the namespace, then the rows, in that order", async () => {
    const { database } = openSiteSecrets((await siteRow()).secretsCiphertext);
    const user = await db.prisma.user.create({
      data: { email: `${randomBytes(4).toString("hex")}@example.test`, name: "Owner", passwordHash: "x" },
    });
    await db.prisma.membership.create({ data: { userId: user.id, accountId: customer.id, role: "OWNER" } });
    await db.prisma.invite.create({
      data: {
        accountId: customer.id,
        role: "VIEWER",
        tokenHash: randomBytes(32).toString("hex"),
        createdByUserId: user.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    // A plan the customer made (an agency's own catalogue) that nobody uses goes with it.
    const ownPlan = await createPlanRow(db.prisma, { ownerAccountId: customer.id, name: "Own", limits });

    await updateAccountRow(db.prisma, customer.id, { terminationRequestedAt: new Date() });
    await eventually(
      "account rows gone",
      async () => ((await db.prisma.account.count({ where: { id: customer.id } })) === 0 ? true : undefined),
      180_000,
    );
    // The rows go only after the namespace has.
    expect(await gone(() => core.readNamespace({ name: namespace() }))).toBe(true);
    expect(await siteDatabaseExists(database.name)).toBe(false);
    expect(await db.prisma.site.count({ where: { accountId: customer.id } })).toBe(0);
    expect(await db.prisma.membership.count({ where: { accountId: customer.id } })).toBe(0);
    expect(await db.prisma.invite.count({ where: { accountId: customer.id } })).toBe(0);
    expect(await db.prisma.plan.count({ where: { id: ownPlan.id } })).toBe(0);
    const deleted = await db.prisma.changeLog.findMany({
      where: { kind: "Account", objectId: customer.id, action: "DELETED" },
    });
    expect(deleted).toHaveLength(1);
    // Recorded under the provider, whose users follow its accounts' changes (the customer is gone).
    expect(deleted[0]?.accountId).toBe(provider.id);
    const siteDeleted = await db.prisma.changeLog.count({
      where: { kind: "Site", objectId: siteId, action: "DELETED" },
    });
    expect(siteDeleted).toBe(1);
  });

  it("then finishes terminating the provider, whose last child is gone", async () => {
    // Woken by its child's end; its plan is used by nobody now, and without sites it had no namespace.
    await eventually(
      "provider rows gone",
      async () => ((await db.prisma.account.count({ where: { id: provider.id } })) === 0 ? true : undefined),
      120_000,
    );
    expect(await db.prisma.plan.count({ where: { id: planId } })).toBe(0);
  });
});
