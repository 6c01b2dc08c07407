import { KubernetesObjectApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANAGED_BY_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { SITE_OBJECT_KINDS } from "./reconcile-site";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  describeObjects,
  dropSiteDatabases,
  eventually,
  listSiteObjects,
  reconcilerObjects,
  randomSlug,
} from "./test-support";

const SITE_OBJECTS = (name: string) =>
  [
    `ConfigMap/${name}-config`,
    `ConfigMap/${name}-root`,
    `CronJob/${name}-wp-cron`,
    `Deployment/${name}`,
    `HTTPRoute/${name}`,
    // The succeeded install Job stays until its TTL.
    `Job/${name}-install-1`,
    `PersistentVolumeClaim/${name}-files`,
    `Secret/${name}-env`,
    `Service/${name}`,
  ].sort();

describe("reconciler restart", () => {
  let db: TestDatabase;
  let account: { id: string; slug: string };
  const running: Reconciler[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    account = await createCustomerAccount(db.prisma, randomSlug("rr"));
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    if (account) await deleteNamespaces(testKubeConfig(), [`sp-${account.slug}`]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  it("converges every site after being stopped mid-provisioning, without duplicates or orphans", async () => {
    const kc = testKubeConfig();
    const names = ["alpha", "beta", "gamma"];
    const sites = [];
    for (const name of names) {
      sites.push(
        await createSiteRow(db.prisma, {
          accountId: account.id,
          name,
          domain: `${name}.${account.slug}.test`,
        }),
      );
    }

    // The first instance is held inside an apply of the first site (after the 6 account objects:
    // namespace, ServiceAccount, 4 NetworkPolicies) until it has been told to stop.
    const holdAt = 9;
    let applies = 0;
    let reached: () => void = () => {};
    const reachedHold = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      workers: 1,
      pollIntervalMs: 200,
      hooks: {
        onApply: async () => {
          applies += 1;
          if (applies === holdAt) {
            reached();
            await released;
          }
        },
      },
    });
    running.push(first);
    await reachedHold;
    const stopping = first.stop();
    release();
    await stopping;
    expect(applies).toBe(holdAt);

    // Provisioning really was cut short: not every site has its objects, none is RUNNING.
    const partial = (await Promise.all(sites.map((s) => listSiteObjects(kc, s.id)))).flat();
    expect(partial.length).toBeLessThan(names.length * 7);
    expect(await db.prisma.site.count({ where: { phase: "RUNNING" } })).toBe(0);

    const second = await startReconciler({ prisma: db.prisma, kubeConfig: kc, pollIntervalMs: 200 });
    running.push(second);
    await eventually("every site RUNNING", async () =>
      (await db.prisma.site.count({ where: { phase: "RUNNING" } })) === names.length ? true : undefined,
    );

    for (const [i, site] of sites.entries()) {
      const objects = reconcilerObjects(await listSiteObjects(kc, site.id));
      const name = names[i] ?? "";
      expect(describeObjects(objects)).toEqual(SITE_OBJECTS(name));
      const root = objects.find((o) => o.metadata?.name === `${name}-root`);
      for (const o of objects.filter((x) => x !== root)) {
        expect(o.metadata?.ownerReferences?.map((r) => r.uid)).toEqual([root?.metadata?.uid]);
      }
    }

    // Nothing else labelled as Sitepod's in the namespace: no leftovers of the interrupted pass.
    const api = KubernetesObjectApi.makeApiClient(kc);
    const kinds = [
      ...SITE_OBJECT_KINDS,
      ["v1", "ServiceAccount"],
      ["networking.k8s.io/v1", "NetworkPolicy"],
    ] as const;
    const all: string[] = [];
    for (const [apiVersion, kind] of kinds) {
      const list = await api.list(
        apiVersion,
        kind,
        `sp-${account.slug}`,
        undefined,
        undefined,
        undefined,
        undefined,
        `${MANAGED_BY_LABEL}=sitepod`,
      );
      for (const item of list.items) {
        if (item.metadata?.ownerReferences?.some((r) => r.kind === "CronJob")) continue;
        const site = item.metadata?.labels?.[SITE_LABEL];
        expect(site === undefined || sites.some((s) => s.id === site)).toBe(true);
        all.push(`${kind}/${item.metadata?.name}`);
      }
    }
    const accountObjects = [
      "ServiceAccount/sitepod-site",
      "NetworkPolicy/sitepod-default-deny",
      "NetworkPolicy/sitepod-allow-gateway",
      "NetworkPolicy/sitepod-allow-dns",
      "NetworkPolicy/sitepod-allow-site-database",
    ];
    expect(all.sort()).toEqual([...names.flatMap(SITE_OBJECTS), ...accountObjects].sort());
    expect(new Set(all).size).toBe(all.length);

    await second.stop();
  });
});
