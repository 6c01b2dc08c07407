/**
 * The account reconciler never takes over, writes into or deletes a namespace `sp-<slug>` that
 * Sitepod did not create for that account; and every tenant namespace it does create has a quota,
 * with a plan or without.
 */
import { CoreV1Api, type KubeConfig, NetworkingV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SITE_SERVICE_ACCOUNT } from "@/lib/k8s/manifests/labels";
import { PLAN_QUOTA_NAME } from "@/lib/k8s/manifests/plan-quota";
import { parseConditions } from "@/lib/views";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import type { AccountReconcileOutcome } from "./reconcile-account";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createProviderAndCustomer,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  randomSlug,
  updateAccountRow,
} from "./test-support";

function notFound(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 404;
}

async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (notFound(err)) return false;
    throw err;
  }
}

describe("namespace ownership and quotas", () => {
  let db: TestDatabase;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let net: NetworkingV1Api;
  let reconciler: Reconciler | undefined;
  const namespaces: string[] = [];
  const passes: Array<{ accountId: string; outcome: AccountReconcileOutcome | "error" }> = [];
  // Customers whose namespace someone else made first: without any label, with another account's.
  let unlabelled: { id: string; slug: string };
  let foreign: { id: string; slug: string };
  // Customers without a plan: below a reseller without allotment, and below one with an allotment.
  let free: { id: string; slug: string };
  let capped: { id: string; slug: string };
  const foreignLabels = {
    "app.kubernetes.io/managed-by": "sitepod",
    "sitepod.io/account": "acc-someone-else",
  };

  beforeAll(async () => {
    kc = testKubeConfig();
    core = kc.makeApiClient(CoreV1Api);
    net = kc.makeApiClient(NetworkingV1Api);
    db = await createTestDatabase();
    const p = db.prisma;
    ({ customer: unlabelled } = await createProviderAndCustomer(p, {
      provider: randomSlug("no-p"),
      customer: randomSlug("no-u"),
    }));
    ({ customer: foreign } = await createProviderAndCustomer(p, {
      provider: randomSlug("no-p"),
      customer: randomSlug("no-f"),
    }));
    ({ customer: free } = await createProviderAndCustomer(p, {
      provider: randomSlug("no-p"),
      customer: randomSlug("no-free"),
    }));
    let cappedProvider: { id: string; slug: string };
    ({ provider: cappedProvider, customer: capped } = await createProviderAndCustomer(p, {
      provider: randomSlug("no-p"),
      customer: randomSlug("no-cap"),
    }));
    await p.allotment.create({
      data: {
        accountId: cappedProvider.id,
        maxSites: 10,
        maxDomains: 10,
        maxDatabases: 10,
        maxCronJobs: 10,
        storageGiB: 100,
        cpuMillicores: 10_000,
        memoryMiB: 10_000,
        backupsKept: 10,
      },
    });
    for (const c of [unlabelled, foreign, free, capped]) namespaces.push(`sp-${c.slug}`);

    await core.createNamespace({
      body: { metadata: { name: `sp-${unlabelled.slug}`, labels: { team: "someone" } } },
    });
    await core.createNamespacedConfigMap({
      namespace: `sp-${unlabelled.slug}`,
      body: { metadata: { name: "precious" }, data: { keep: "me" } },
    });
    await core.createNamespace({ body: { metadata: { name: `sp-${foreign.slug}`, labels: foreignLabels } } });

    reconciler = await startReconciler({
      prisma: p,
      kubeConfig: kc,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
      hooks: {
        onAccountReconciled: (accountId, result) => passes.push({ accountId, outcome: result.outcome }),
      },
    });
    for (const c of [unlabelled, foreign, free, capped]) {
      await createSiteRow(p, { accountId: c.id, name: "web", domain: `${c.slug}.example.test` });
    }
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc) await deleteNamespaces(kc, namespaces);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  const conditionsOf = async (accountId: string) =>
    parseConditions((await db.prisma.account.findUniqueOrThrow({ where: { id: accountId } })).conditions);

  it.each([
    ["without Sitepod's labels", () => unlabelled, { team: "someone" }],
    ["with another account's labels", () => foreign, foreignLabels],
  ])(
    "does not adopt a namespace %s: the account is Degraded with the reason, the namespace untouched",
    async (_what, customer, labels) => {
      const c = customer();
      const name = `sp-${c.slug}`;
      const degraded = await eventually("account Degraded", async () =>
        (await conditionsOf(c.id)).find((x) => x.type === "Degraded" && x.status === "True"),
      );
      expect(degraded).toMatchObject({ reason: "NamespaceOwnedElsewhere" });
      expect(degraded.message).toContain(`Namespace ${name} already exists and is not this account's`);
      expect((await conditionsOf(c.id)).find((x) => x.type === "Ready")).toMatchObject({
        status: "False",
        reason: "NamespaceOwnedElsewhere",
      });
      const site = await eventually("site Degraded", async () => {
        const s = await db.prisma.site.findFirstOrThrow({ where: { accountId: c.id } });
        return s.phase === "DEGRADED" ? s : undefined;
      });
      expect(parseConditions(site.conditions).find((x) => x.type === "Ready")?.reason).toBe(
        "NamespaceOwnedElsewhere",
      );

      const ns = await core.readNamespace({ name });
      expect(ns.metadata?.labels).toEqual({ ...labels, "kubernetes.io/metadata.name": name });
      expect(ns.metadata?.managedFields?.some((f) => f.manager === "sitepod")).toBe(false);
      expect(
        await exists(() =>
          core.readNamespacedServiceAccount({ name: SITE_SERVICE_ACCOUNT, namespace: name }),
        ),
      ).toBe(false);
      expect(
        await exists(() => core.readNamespacedResourceQuota({ name: PLAN_QUOTA_NAME, namespace: name })),
      ).toBe(false);
      expect((await net.listNamespacedNetworkPolicy({ namespace: name })).items).toEqual([]);
      const managed = await core.listNamespacedConfigMap({
        namespace: name,
        labelSelector: "app.kubernetes.io/managed-by=sitepod",
      });
      expect(managed.items).toEqual([]);
    },
  );

  it("terminates the account without deleting the namespace it never owned", async () => {
    const name = `sp-${unlabelled.slug}`;
    await updateAccountRow(db.prisma, unlabelled.id, { terminationRequestedAt: new Date() });
    await eventually(
      "account rows gone",
      async () =>
        (await db.prisma.account.count({ where: { id: unlabelled.id } })) === 0 ? true : undefined,
      120_000,
    );
    const ns = await core.readNamespace({ name });
    expect(ns.metadata?.deletionTimestamp).toBeUndefined();
    expect(ns.status?.phase).toBe("Active");
    const kept = await core.readNamespacedConfigMap({ name: "precious", namespace: name });
    expect(kept.data).toEqual({ keep: "me" });
  });

  it("gives a plan-less account's namespace a quota: no limits in practice, unless below an allotment", async () => {
    const quotaOf = (c: { slug: string }) =>
      eventually(`quota in sp-${c.slug}`, async () => {
        try {
          return await core.readNamespacedResourceQuota({ name: PLAN_QUOTA_NAME, namespace: `sp-${c.slug}` });
        } catch (err) {
          if (notFound(err)) return undefined;
          throw err;
        }
      });
    const unlimited = await quotaOf(free);
    expect(unlimited.spec?.hard?.["requests.memory"]).toBe(`${100_000_000}Mi`);
    expect(unlimited.spec?.hard?.persistentvolumeclaims).toBe("100k");
    // The site runs under it.
    await eventually("plan-less site RUNNING", async () =>
      (await db.prisma.site.findFirstOrThrow({ where: { accountId: free.id } })).phase === "RUNNING"
        ? true
        : undefined,
    );

    const nothing = await quotaOf(capped);
    expect(nothing.spec?.hard).toMatchObject({
      "requests.cpu": "0",
      "requests.memory": "0",
      "requests.storage": "0",
      persistentvolumeclaims: "0",
    });
  });
});
