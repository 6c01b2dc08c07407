import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  NetworkingV1Api,
} from "@kubernetes/client-node";
import mariadb from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "@/lib/crypto/secret-box";
import type { ObjectRef } from "@/lib/k8s/apply";
import {
  ACCOUNT_LABEL,
  CONFIG_CHECKSUM_ANNOTATION,
  MANAGED_BY_LABEL,
  SITE_LABEL,
  SPEC_HASH_ANNOTATION,
} from "@/lib/k8s/manifests/labels";
import { objectKey, type RenderedObject } from "@/lib/k8s/manifests/objects";
import type { HttpRouteSpec } from "@/lib/k8s/manifests/route";
import { clusterSettingsFromEnv } from "@/lib/k8s/manifests/types";
import { appendChange } from "@/lib/services/change-log/append-change";
import { DEFAULT_PHP_SETTINGS } from "@/lib/validation/site-settings";
import { parseConditions } from "@/lib/views";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { type Reconciler, startReconciler } from "./reconciler";
import { siteDefaultsFromEnv } from "./site-spec";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  describeObjects,
  dropSiteDatabases,
  eventually,
  listSiteObjects,
  randomSlug,
  readHttpRoute,
  reconcilerObjects,
  requestSiteDeletion,
  siteDatabaseExists,
} from "./test-support";

describe("site reconciler", () => {
  let db: TestDatabase;
  let kc: KubeConfig;
  let reconciler: Reconciler | undefined;
  let account: { id: string; slug: string };
  let siteId = "";
  let siteDatabase = { name: "", user: "", password: "" };
  const namespace = () => `sp-${account.slug}`;
  const applies: string[] = [];
  const deletes: string[] = [];
  const passes: Array<{ siteId: string; outcome: string }> = [];

  beforeAll(async () => {
    kc = testKubeConfig();
    db = await createTestDatabase();
    account = await createCustomerAccount(db.prisma, randomSlug("rt"));
    reconciler = await startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
      hooks: {
        onApply: (obj: RenderedObject) => {
          applies.push(objectKey(obj));
        },
        onDelete: (ref: ObjectRef) => {
          deletes.push(objectKey(ref));
        },
        onReconciled: (id, result) => {
          passes.push({ siteId: id, outcome: result.outcome });
        },
      },
    });
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc && account) await deleteNamespaces(kc, [namespace()]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  it("provisions a new site until it runs, and records Ready=True for its generation", async () => {
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "blog",
      domain: `${account.slug}.example.test`,
    });
    siteId = site.id;

    const row = await eventually("site RUNNING", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: siteId } });
      return s.phase === "RUNNING" ? s : undefined;
    });
    expect(row.observedGeneration).toBe(row.generation);
    const ready = parseConditions(row.conditions).find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "True", observedGeneration: row.generation });
    const statusRows = await db.prisma.changeLog.findMany({ where: { objectId: siteId, action: "STATUS" } });
    expect(statusRows.length).toBeGreaterThan(0);

    const objects = reconcilerObjects(await listSiteObjects(kc, siteId));
    expect(describeObjects(objects)).toEqual([
      "ConfigMap/blog-config",
      "ConfigMap/blog-root",
      "CronJob/blog-wp-cron",
      "Deployment/blog",
      "HTTPRoute/blog",
      // The succeeded install Job stays until its TTL; its Secret with the admin password is gone.
      "Job/blog-install-1",
      "PersistentVolumeClaim/blog-files",
      "Secret/blog-env",
      "Service/blog",
    ]);
    const root = objects.find((o) => o.metadata?.name === "blog-root");
    for (const o of objects) {
      expect(o.metadata?.namespace).toBe(namespace());
      expect(o.metadata?.labels).toMatchObject({
        [MANAGED_BY_LABEL]: "sitepod",
        [ACCOUNT_LABEL]: account.id,
        [SITE_LABEL]: siteId,
      });
      expect(o.metadata?.annotations?.[SPEC_HASH_ANNOTATION]).toBeTruthy();
      if (o !== root) {
        expect(o.metadata?.ownerReferences).toEqual([
          expect.objectContaining({
            kind: "ConfigMap",
            name: "blog-root",
            uid: root?.metadata?.uid,
            blockOwnerDeletion: true,
          }),
        ]);
      }
    }

    // Routed through the operator's Gateway, at its domain and its platform hostname.
    expect(await readHttpRoute(kc, "blog", namespace())).toEqual({
      hostnames: [`${account.slug}.example.test`, `blog-${account.slug}.localhost`],
      backends: ["blog"],
      parents: ["sitepod-gateway/sitepod"],
    });

    const core = kc.makeApiClient(CoreV1Api);
    const ns = await core.readNamespace({ name: namespace() });
    expect(ns.metadata?.labels?.["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const sa = await core.readNamespacedServiceAccount({ name: "sitepod-site", namespace: namespace() });
    expect(sa.automountServiceAccountToken).toBe(false);

    const policies = await kc
      .makeApiClient(NetworkingV1Api)
      .listNamespacedNetworkPolicy({ namespace: namespace() });
    expect(policies.items.map((p) => p.metadata?.name).sort()).toEqual([
      "sitepod-allow-dns",
      "sitepod-allow-gateway",
      "sitepod-allow-site-database",
      "sitepod-default-deny",
    ]);
    const deny = policies.items.find((p) => p.metadata?.name === "sitepod-default-deny");
    expect(deny?.spec?.podSelector).toEqual({});
    expect(deny?.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    const fromGateway = policies.items.find((p) => p.metadata?.name === "sitepod-allow-gateway");
    expect(fromGateway?.spec?.ingress?.[0]?._from).toEqual([
      {
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "sitepod-gateway" } },
        podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
      },
    ]);
    const toDb = policies.items.find((p) => p.metadata?.name === "sitepod-allow-site-database");
    expect(toDb?.spec?.egress?.[0]?.ports).toEqual([{ protocol: "TCP", port: 3306 }]);

    // The credentials the pod gets work against the database server, for its database only.
    const env = await core.readNamespacedSecret({ name: "blog-env", namespace: namespace() });
    const value = (key: string) => Buffer.from(env.data?.[key] ?? "", "base64").toString("utf8");
    siteDatabase = {
      name: value("WORDPRESS_DB_NAME"),
      user: value("WORDPRESS_DB_USER"),
      password: value("WORDPRESS_DB_PASSWORD"),
    };
    const [dbHost = "", dbPort = "3306"] = value("WORDPRESS_DB_HOST").split(":");
    const conn = await mariadb.createConnection({
      host: dbHost,
      port: Number(dbPort),
      user: siteDatabase.user,
      password: siteDatabase.password,
      database: siteDatabase.name,
    });
    try {
      const dbs = (await conn.query("SHOW DATABASES")) as Array<{ Database: string }>;
      expect(dbs.map((d) => d.Database).sort()).toEqual(["information_schema", siteDatabase.name]);
      // Not a WordPress table: on a real node the install Job has made those already.
      await conn.query("CREATE TABLE sitepod_grant_check (id INT PRIMARY KEY)");
    } finally {
      await conn.end();
    }

    const pvc = await core.readNamespacedPersistentVolumeClaim({
      name: "blog-files",
      namespace: namespace(),
    });
    expect(pvc.status?.phase).toBe("Bound");
    const dep = await kc
      .makeApiClient(AppsV1Api)
      .readNamespacedDeployment({ name: "blog", namespace: namespace() });
    expect(dep.status?.availableReplicas).toBe(1);

    // The site's own pod (the install Job's pod, if still there, goes with its pruned Job).
    const pods = await core.listNamespacedPod({
      namespace: namespace(),
      labelSelector: `${SITE_LABEL}=${siteId},app.kubernetes.io/component=web`,
    });
    expect(pods.items).toHaveLength(1);
    const pod = pods.items[0];
    expect(pod?.status?.phase).toBe("Running");
    // On the real node: its containers really run (kwok's simulated nodes are tainted).
    const node = await core.readNode({ name: pod?.spec?.nodeName ?? "" });
    expect(node.metadata?.labels?.["sitepod.io/node"]).toBe("real");
    expect(pod?.status?.containerStatuses?.every((c) => c.ready && c.state?.running)).toBe(true);
  });

  it("applies and deletes nothing on a pass over a site that is in sync", async () => {
    const appliesBefore = applies.length;
    const deletesBefore = deletes.length;
    const statusBefore = await db.prisma.changeLog.count({ where: { objectId: siteId } });
    const passesBefore = passes.length;
    reconciler?.enqueue(siteId);
    await reconciler?.resync();
    await eventually("two more passes over the site", () =>
      passes.slice(passesBefore).filter((p) => p.siteId === siteId).length >= 1 ? true : undefined,
    );
    expect(
      passes
        .slice(passesBefore)
        .filter((p) => p.siteId === siteId)
        .map((p) => p.outcome),
    ).toContain("synced");
    expect(applies.slice(appliesBefore)).toEqual([]);
    expect(deletes.slice(deletesBefore)).toEqual([]);
    expect(await db.prisma.changeLog.count({ where: { objectId: siteId } })).toBe(statusBefore);
  });

  it("recreates objects deleted by hand", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const before = await core.readNamespacedService({ name: "blog", namespace: namespace() });
    await core.deleteNamespacedService({ name: "blog", namespace: namespace() });
    await core.deleteNamespacedSecret({ name: "blog-env", namespace: namespace() });
    const after = await eventually("Service blog recreated", async () => {
      const svc = await core.readNamespacedService({ name: "blog", namespace: namespace() });
      return svc.metadata?.uid !== before.metadata?.uid ? svc : undefined;
    });
    expect(after.metadata?.labels?.[SITE_LABEL]).toBe(siteId);
    await eventually("Secret blog-env recreated", () =>
      core.readNamespacedSecret({ name: "blog-env", namespace: namespace() }),
    );
  });

  it("follows a spec change: a new domain reaches the HTTPRoute and observedGeneration", async () => {
    const extra = `www.${account.slug}.example.test`;
    await db.prisma.$transaction(async (tx) => {
      await tx.domain.create({ data: { siteId, hostname: extra } });
      await tx.site.update({ where: { id: siteId }, data: { generation: { increment: 1 } } });
      await appendChange(tx, {
        kind: "Site",
        objectId: siteId,
        accountId: account.id,
        action: "UPDATED",
        data: { domains: [extra] },
      });
    });
    await eventually("HTTPRoute has the new host", async () =>
      (await readHttpRoute(kc, "blog", namespace())).hostnames.includes(extra) ? true : undefined,
    );
    const row = await eventually("observedGeneration caught up", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: siteId } });
      return s.observedGeneration === s.generation && s.phase === "RUNNING" ? s : undefined;
    });
    expect(row.generation).toBe(2);
  });

  it("renders a settings change into php.ini, the env Secret and the Deployment, and rolls the pods", async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const checksum = async () =>
      (await apps.readNamespacedDeployment({ name: "blog", namespace: namespace() })).spec?.template.metadata
        ?.annotations?.[CONFIG_CHECKSUM_ANNOTATION];
    const checksumBefore = await checksum();
    await db.prisma.$transaction(async (tx) => {
      await tx.site.update({
        where: { id: siteId },
        data: {
          generation: { increment: 1 },
          cpuMillicores: 300,
          memoryMiB: 512,
          phpSettings: { ...DEFAULT_PHP_SETTINGS, timezone: "Europe/Paris" },
          envVars: [
            { name: "MODE", secret: false, value: "staging" },
            { name: "API_KEY", secret: true, sealed: seal("k3y-from-settings") },
          ],
        },
      });
      await appendChange(tx, {
        kind: "Site",
        objectId: siteId,
        accountId: account.id,
        action: "UPDATED",
        data: { settings: { php: { timezone: { from: "UTC", to: "Europe/Paris" } } } },
      });
    });
    const deployment = await eventually("Deployment has the new resources", async () => {
      const d = await apps.readNamespacedDeployment({ name: "blog", namespace: namespace() });
      const php = d.spec?.template.spec?.containers.find((c) => c.name === "php");
      return php?.resources?.limits?.memory === "512Mi" ? d : undefined;
    });
    expect(deployment.spec?.template.spec?.containers.find((c) => c.name === "php")?.resources).toEqual({
      requests: { cpu: "300m", memory: "256Mi" },
      limits: { cpu: "1200m", memory: "512Mi" },
    });
    // An account without a plan has room for the surge pod: no outage.
    expect(deployment.spec?.strategy).toMatchObject({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    expect(await checksum()).not.toBe(checksumBefore);
    const config = await core.readNamespacedConfigMap({ name: "blog-config", namespace: namespace() });
    expect(config.data?.["php.ini"]).toContain('date.timezone = "Europe/Paris"');
    const secret = await core.readNamespacedSecret({ name: "blog-env", namespace: namespace() });
    const env = (key: string) => Buffer.from(secret.data?.[key] ?? "", "base64").toString("utf8");
    expect([env("MODE"), env("API_KEY")]).toEqual(["staging", "k3y-from-settings"]);
    const row = await eventually("the new pods roll out", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: siteId } });
      return s.observedGeneration === s.generation && s.phase === "RUNNING" ? s : undefined;
    });
    expect(row.generation).toBe(3);
  });

  it("answers a redirecting domain from its own HTTPRoute (301 to the primary), and prunes it when the domain serves again", async () => {
    const primary = `${account.slug}.example.test`;
    const www = `www.${account.slug}.example.test`; // added by the test before
    const setRedirect = (redirectToPrimary: boolean) =>
      db.prisma.$transaction(async (tx) => {
        await tx.domain.updateMany({ where: { siteId, hostname: www }, data: { redirectToPrimary } });
        await tx.site.update({ where: { id: siteId }, data: { generation: { increment: 1 } } });
        await appendChange(tx, {
          kind: "Site",
          objectId: siteId,
          accountId: account.id,
          action: "UPDATED",
          data: { domain: www, redirectToPrimary },
        });
      });
    const custom = kc.makeApiClient(CustomObjectsApi);
    const readRedirect = async () =>
      (await custom.getNamespacedCustomObject({
        group: "gateway.networking.k8s.io",
        version: "v1",
        namespace: namespace(),
        plural: "httproutes",
        name: "blog.redirect",
      })) as { spec: HttpRouteSpec };

    await setRedirect(true);
    const redirect = await eventually("redirect HTTPRoute applied", () =>
      readRedirect().catch(() => undefined),
    );
    expect(redirect.spec.hostnames).toEqual([www]);
    // Locally the gateway listens on a port of its own (SITEPOD_SITES_BASE_URL_PORT): the redirect keeps it.
    const port = siteDefaultsFromEnv().sitePublicPort;
    expect(redirect.spec.rules[0]?.filters?.[0]).toEqual({
      type: "RequestRedirect",
      requestRedirect: { hostname: primary, statusCode: 301, ...(port ? { port } : {}) },
    });
    await eventually("the site's own route no longer serves it", async () =>
      (await readHttpRoute(kc, "blog", namespace())).hostnames.includes(www) ? undefined : true,
    );

    await setRedirect(false);
    await eventually("redirect HTTPRoute pruned", async () =>
      describeObjects(await listSiteObjects(kc, siteId)).includes("HTTPRoute/blog.redirect")
        ? undefined
        : true,
    );
    expect((await readHttpRoute(kc, "blog", namespace())).hostnames).toContain(www);
  });

  it("prunes objects of sites that no longer exist in its accounts", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const ghost = "ghostsite000000000000000";
    await core.createNamespacedConfigMap({
      namespace: namespace(),
      body: {
        metadata: {
          name: "ghost-root",
          labels: { [MANAGED_BY_LABEL]: "sitepod", [ACCOUNT_LABEL]: account.id, [SITE_LABEL]: ghost },
        },
      },
    });
    // A stray of an account this database does not know (another Sitepod on the same cluster) stays.
    await core.createNamespacedConfigMap({
      namespace: namespace(),
      body: {
        metadata: {
          name: "foreign-root",
          labels: {
            [MANAGED_BY_LABEL]: "sitepod",
            [ACCOUNT_LABEL]: "someoneelse",
            [SITE_LABEL]: "foreignsite",
          },
        },
      },
    });
    await reconciler?.resync();
    await eventually("ghost-root pruned", async () => {
      try {
        await core.readNamespacedConfigMap({ name: "ghost-root", namespace: namespace() });
        return undefined;
      } catch {
        return true;
      }
    });
    const foreign = await core.readNamespacedConfigMap({ name: "foreign-root", namespace: namespace() });
    expect(foreign.metadata?.name).toBe("foreign-root");
    await core.deleteNamespacedConfigMap({ name: "foreign-root", namespace: namespace() });
  });

  it("deletes a site: objects and database first, then its rows", async () => {
    expect(await siteDatabaseExists(siteDatabase.name)).toBe(true);

    await requestSiteDeletion(db.prisma, siteId, account.id);
    await eventually("site rows deleted", async () =>
      (await db.prisma.site.findUnique({ where: { id: siteId } })) === null ? true : undefined,
    );
    expect(await listSiteObjects(kc, siteId)).toEqual([]);
    expect(await db.prisma.domain.count({ where: { siteId } })).toBe(0);
    const deleted = await db.prisma.changeLog.findFirst({ where: { objectId: siteId, action: "DELETED" } });
    expect(deleted?.accountId).toBe(account.id);
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: namespace(), labelSelector: `${SITE_LABEL}=${siteId}` });
    expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);

    expect(await siteDatabaseExists(siteDatabase.name)).toBe(false);
    await expect(
      mariadb.createConnection({
        host: "127.0.0.1",
        user: siteDatabase.user,
        password: siteDatabase.password,
      }),
    ).rejects.toThrow(/denied/i);
  });

  it("reports an unreadable spec as a terminal Degraded condition without retrying", async () => {
    const failedBefore = reconciler?.stats().passes.site?.failed ?? 0;
    const site = await db.prisma.$transaction(async (tx) => {
      const s = await tx.site.create({
        data: {
          accountId: account.id,
          name: "broken",
          phpVersion: "8.4",
          title: "broken",
          conditions: [],
          secretsCiphertext: "v1.garbage",
        },
      });
      await appendChange(tx, { kind: "Site", objectId: s.id, accountId: account.id, action: "CREATED" });
      return s;
    });
    // The pass writes the status before it returns and reports its outcome: wait for both.
    const row = await eventually("site DEGRADED and its pass reported", async () => {
      const s = await db.prisma.site.findUniqueOrThrow({ where: { id: site.id } });
      return s.phase === "DEGRADED" && passes.some((p) => p.siteId === site.id) ? s : undefined;
    });
    expect(parseConditions(row.conditions).find((c) => c.type === "Degraded")).toMatchObject({
      status: "True",
      reason: "InvalidSpec",
    });
    // Not retried: an invalid spec is not a failure, so nothing schedules the site again with
    // backoff. Other events may still wake it (an event on one of the account's namespace objects
    // wakes every site of the account); each such pass ends the same way.
    const outcomes = passes.filter((p) => p.siteId === site.id).map((p) => p.outcome);
    expect(outcomes.length).toBeGreaterThan(0);
    expect(new Set(outcomes)).toEqual(new Set(["invalid"]));
    expect(reconciler?.stats().passes.site?.failed ?? 0).toBe(failedBefore);
    expect(applies.filter((a) => a.includes("broken"))).toEqual([]);
  });
});

describe("site reconciler with SITEPOD_ROUTING=ingress", () => {
  let db: TestDatabase;
  let kc: KubeConfig;
  let reconciler: Reconciler | undefined;
  let account: { id: string; slug: string };
  let siteId = "";
  const namespace = () => `sp-${account.slug}`;
  const deletes: string[] = [];
  const ingressSettings = clusterSettingsFromEnv({
    SITEPOD_ROUTING: "ingress",
    SITEPOD_INGRESS_CLASS: "traefik",
  });

  const start = (settings = ingressSettings) =>
    startReconciler({
      prisma: db.prisma,
      kubeConfig: kc,
      settings,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
      hooks: {
        onDelete: (ref: ObjectRef) => {
          deletes.push(objectKey(ref));
        },
      },
    });

  beforeAll(async () => {
    kc = testKubeConfig();
    db = await createTestDatabase();
    account = await createCustomerAccount(db.prisma, randomSlug("ri"));
    reconciler = await start(clusterSettingsFromEnv({}));
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc && account) await deleteNamespaces(kc, [namespace()]);
    if (db) await dropSiteDatabases(db.prisma);
    await db?.drop();
  });

  it("replaces the HTTPRoute with an Ingress for every hostname when the routing changes", async () => {
    siteId = (
      await createSiteRow(db.prisma, {
        accountId: account.id,
        name: "shop",
        domain: `${account.slug}.example.test`,
      })
    ).id;
    await eventually("HTTPRoute applied", async () =>
      describeObjects(await listSiteObjects(kc, siteId)).includes("HTTPRoute/shop") ? true : undefined,
    );
    await reconciler?.stop();
    reconciler = await start();
    await eventually("Ingress instead of the HTTPRoute", async () => {
      const kinds = describeObjects(await listSiteObjects(kc, siteId));
      return kinds.includes("Ingress/shop") && !kinds.includes("HTTPRoute/shop") ? true : undefined;
    });
    const ingress = await kc
      .makeApiClient(NetworkingV1Api)
      .readNamespacedIngress({ name: "shop", namespace: namespace() });
    expect(ingress.spec?.ingressClassName).toBe("traefik");
    expect(ingress.spec?.rules?.map((r) => r.host)).toEqual([
      `${account.slug}.example.test`,
      `shop-${account.slug}.localhost`,
    ]);
  });

  it("deletes a site with cert-manager's TLS Secret, once the Certificate its Ingress owned is gone", async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const ingress = await kc
      .makeApiClient(NetworkingV1Api)
      .readNamespacedIngress({ name: "shop", namespace: namespace() });
    // What cert-manager's ingress-shim leaves for a site with TLS: a Certificate owned by the
    // Ingress, and the Secret it issued (not labelled, not owned).
    await custom.createNamespacedCustomObject({
      group: "cert-manager.io",
      version: "v1",
      namespace: namespace(),
      plural: "certificates",
      body: {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: {
          name: "shop-tls",
          ownerReferences: [
            {
              apiVersion: "networking.k8s.io/v1",
              kind: "Ingress",
              name: "shop",
              uid: ingress.metadata?.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          secretName: "shop-tls",
          dnsNames: [`${account.slug}.example.test`],
          issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" },
        },
      },
    });
    await core.createNamespacedSecret({
      namespace: namespace(),
      body: {
        metadata: { name: "shop-tls", annotations: { "cert-manager.io/certificate-name": "shop-tls" } },
        type: "kubernetes.io/tls",
        data: { "tls.crt": "", "tls.key": "" },
      },
    });

    await requestSiteDeletion(db.prisma, siteId, account.id);
    await eventually("site rows deleted", async () =>
      (await db.prisma.site.findUnique({ where: { id: siteId } })) === null ? true : undefined,
    );
    expect(await listSiteObjects(kc, siteId)).toEqual([]);
    const secrets = await core.listNamespacedSecret({ namespace: namespace() });
    expect(secrets.items.map((x) => x.metadata?.name)).not.toContain("shop-tls");
    expect(deletes).toContain(`Secret ${namespace()}/shop-tls`);
  });
});
