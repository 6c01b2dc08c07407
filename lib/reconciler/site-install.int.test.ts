/**
 * The WordPress install and the Degraded faults, through reconcileSite against the real MariaDB
 * (site rows, the site's database and user) and an in-memory cluster whose objects the test moves
 * along as Kubernetes would (a Job completes or fails, a pod crash-loops). Needs no cluster:
 * SITEPOD_SKIP_CLUSTER=1 npx vitest run --project integration-cluster lib/reconciler/site-install.int.test.ts
 */
import { randomUUID } from "node:crypto";
import type { KubernetesObject, V1Deployment, V1Job, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterWriter, ObjectRef } from "@/lib/k8s/apply";
import {
  type IndexedLabel,
  labelledIn,
  labelValuesIn,
  type ObservedObject,
  type ObservedState,
} from "@/lib/k8s/informers";
import { buildAccountObjects } from "@/lib/k8s/manifests/account";
import { INSTALL_WAIT_CONTAINER } from "@/lib/k8s/manifests/install-job";
import { accountNamespace, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import type { ManagedKind, RenderedObject } from "@/lib/k8s/manifests/objects";
import { clusterSettingsFromEnv } from "@/lib/k8s/manifests/types";
import type { PodLogReader, PodLogRef } from "@/lib/k8s/pod-logs";
import type { Logger } from "@/lib/log";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import { createSiteDbAdmin, type SiteDbAdmin } from "@/lib/site-db/admin";
import { parseConditions } from "@/lib/views";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import type { ReconcileContext } from "./context";
import { reconcileSite } from "./reconcile-site";
import { NOT_READY_AFTER_MS } from "./site-faults";
import { siteDefaultsFromEnv } from "./site-spec";
import { createCustomerAccount, createSiteRow, dropSiteDatabases, randomSlug } from "./test-support";

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silent,
};

/** What the informers and the API server would hold, moved along by the test. */
class FakeCluster implements ObservedState, ClusterWriter {
  readonly objects = new Map<string, ObservedObject>();
  readonly applied: string[] = [];
  readonly deleted: string[] = [];

  private key(kind: string, name: string, namespace?: string): string {
    return `${kind} ${namespace ?? ""}/${name}`;
  }

  served(): boolean {
    return true;
  }

  get(kind: ManagedKind, name: string, namespace?: string): KubernetesObject | undefined {
    return this.objects.get(this.key(kind, name, namespace))?.object;
  }

  all(): ObservedObject[] {
    return [...this.objects.values()];
  }

  labelled(label: IndexedLabel, value: string): ObservedObject[] {
    return labelledIn(this.all(), label, value);
  }

  labelValues(label: IndexedLabel): string[] {
    return labelValuesIn(this.all(), label);
  }

  async apply(obj: RenderedObject): Promise<KubernetesObject> {
    const key = this.key(obj.kind, obj.metadata.name, obj.metadata.namespace);
    const existing = this.objects.get(key)?.object as (KubernetesObject & { status?: unknown }) | undefined;
    const stored = {
      ...obj,
      metadata: { ...obj.metadata, uid: existing?.metadata?.uid ?? randomUUID(), generation: 1 },
      ...(existing?.status ? { status: existing.status } : {}),
    };
    this.objects.set(key, { kind: obj.kind, apiVersion: obj.apiVersion, object: stored });
    this.applied.push(key);
    return stored;
  }

  async delete(ref: ObjectRef): Promise<boolean> {
    const key = this.key(ref.kind, ref.metadata.name, ref.metadata.namespace);
    this.deleted.push(key);
    return this.objects.delete(key);
  }

  async read(ref: ObjectRef): Promise<KubernetesObject | undefined> {
    return this.objects.get(this.key(ref.kind, ref.metadata.name, ref.metadata.namespace))?.object;
  }

  async list(): Promise<KubernetesObject[]> {
    return [];
  }

  /** Sets an object's status, as the controllers would. */
  setStatus(kind: ManagedKind, name: string, namespace: string, status: unknown): void {
    const entry = this.objects.get(this.key(kind, name, namespace));
    if (!entry) throw new Error(`no ${kind} ${namespace}/${name}`);
    entry.object = { ...entry.object, status } as KubernetesObject;
  }

  /** An object already in place (the account reconciler's), without counting it as applied here. */
  put(obj: RenderedObject): void {
    this.objects.set(this.key(obj.kind, obj.metadata.name, obj.metadata.namespace), {
      kind: obj.kind,
      apiVersion: obj.apiVersion,
      object: { ...obj, metadata: { ...obj.metadata, uid: randomUUID() } },
    });
  }

  /** A pod the kubelet reports on (pods are made by controllers, never applied by Sitepod). */
  putPod(pod: V1Pod): void {
    this.objects.set(this.key("Pod", pod.metadata?.name ?? "", pod.metadata?.namespace), {
      kind: "Pod",
      apiVersion: "v1",
      object: pod,
    });
  }

  has(kind: string, name: string, namespace: string): boolean {
    return this.objects.has(this.key(kind, name, namespace));
  }
}

/** Canned logs; counts the calls, since evidence is fetched once per fault. */
class FakeLogs implements PodLogReader {
  readonly calls: PodLogRef[] = [];
  constructor(readonly text: (ref: PodLogRef) => string) {}
  async tail(ref: PodLogRef): Promise<string> {
    this.calls.push(ref);
    return this.text(ref);
  }
}

describe("reconcileSite: the WordPress install and faults (MariaDB, in-memory cluster)", () => {
  let db: TestDatabase;
  let siteDb: SiteDbAdmin;
  let account: { id: string; slug: string };
  let clock = new Date("2026-03-01T12:00:00.000Z");
  const namespace = () => accountNamespace(account.slug);

  beforeAll(async () => {
    db = await createTestDatabase();
    siteDb = createSiteDbAdmin();
    account = await createCustomerAccount(db.prisma, randomSlug("wi"));
  });

  afterAll(async () => {
    if (db) await dropSiteDatabases(db.prisma);
    await siteDb?.close();
    await db?.drop();
  });

  /** The site's pass waits for its account's namespace objects; the account reconciler made them. */
  function context(cluster: FakeCluster, logs: PodLogReader): ReconcileContext {
    const settings = clusterSettingsFromEnv({});
    const defaults = siteDefaultsFromEnv({});
    for (const obj of buildAccountObjects(
      { accountId: account.id, accountSlug: account.slug },
      { gatewayPods: settings.gatewayPods, databaseHost: defaults.databaseHost },
    )) {
      cluster.put(obj);
    }
    return {
      prisma: db.prisma,
      observed: cluster,
      writer: cluster,
      settings,
      defaults,
      siteDb,
      logs,
      log: silent,
      hooks: {},
      signal: new AbortController().signal,
      now: () => clock,
    };
  }

  async function siteRow(id: string) {
    return db.prisma.site.findUniqueOrThrow({ where: { id } });
  }

  function jobPod(siteId: string, job: string, jobUid: string, exitCode: number): V1Pod {
    return {
      metadata: {
        name: `${job}-abcde`,
        namespace: namespace(),
        creationTimestamp: clock,
        labels: { [SITE_LABEL]: siteId },
        ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: job, uid: jobUid, controller: true }],
      },
      status: {
        phase: "Failed",
        containerStatuses: [
          {
            name: "install",
            image: "img",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode } },
          },
        ],
      },
    };
  }

  it("installs with a Job, records it once, forgets the password, then runs the site and its cron", async () => {
    const cluster = new FakeCluster();
    const logs = new FakeLogs(() => "");
    const ctx = context(cluster, logs);
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "blog",
      domain: `${account.slug}.example.test`,
    });
    const password = openSiteSecrets((await siteRow(site.id)).secretsCiphertext).wordpressAdmin?.password;
    expect(password).toBeTruthy();

    const first = await reconcileSite(ctx, site.id);
    expect(first.outcome).toBe("progressing");
    const ns = namespace();
    expect(cluster.has("Job", "blog-install-1", ns)).toBe(true);
    expect(cluster.has("Secret", "blog-install", ns)).toBe(true);
    // The site's pod starts next to the install (its init container holds it until the install is
    // done; the plan has room for both pods); WordPress's cron only once installed.
    expect(cluster.has("Deployment", "blog", ns)).toBe(true);
    const installingTemplate = (cluster.get("Deployment", "blog", ns) as V1Deployment).spec?.template;
    expect(installingTemplate?.spec?.initContainers?.map((c) => c.name)).toEqual([INSTALL_WAIT_CONTAINER]);
    expect(cluster.has("CronJob", "blog-wp-cron", ns)).toBe(false);
    let row = await siteRow(site.id);
    expect(row.phase).toBe("PROVISIONING");
    expect(parseConditions(row.conditions).find((c) => c.type === "Ready")?.reason).toMatch(
      /Installing|VolumePending/,
    );

    // A second pass (a restarted reconciler) finds the same Job and starts no other.
    await reconcileSite(ctx, site.id);
    expect(
      cluster
        .all()
        .filter((o) => o.kind === "Job")
        .map((o) => o.object.metadata?.name),
    ).toEqual(["blog-install-1"]);
    expect(cluster.applied.filter((k) => k.startsWith("Job "))).toEqual([`Job ${ns}/blog-install-1`]);

    cluster.setStatus("Job", "blog-install-1", ns, { conditions: [{ type: "Complete", status: "True" }] });
    // The pass that records the install goes on to render the installed site, without a requeue.
    const recorded = await reconcileSite(ctx, site.id);
    expect(recorded.outcome).toBe("progressing");
    expect(recorded.requeueAfterMs).not.toBe(0);
    row = await siteRow(site.id);
    expect(row.installedAt).not.toBeNull();
    expect(openSiteSecrets(row.secretsCiphertext).wordpressAdmin).toEqual({
      user: "admin",
      email: "owner@example.test",
    });
    const installedAt = row.installedAt;
    // The Secret with the admin password goes at once; the succeeded Job by its TTL.
    expect(cluster.has("Secret", "blog-install", ns)).toBe(false);
    expect(cluster.has("Job", "blog-install-1", ns)).toBe(true);
    expect((cluster.get("Job", "blog-install-1", ns) as V1Job).spec?.ttlSecondsAfterFinished).toBeGreaterThan(
      0,
    );
    expect(cluster.deleted.filter((k) => k.startsWith("Job "))).toEqual([]);
    expect((cluster.get("Deployment", "blog", ns) as { spec: { replicas: number } }).spec.replicas).toBe(1);
    // Recording the install changed nothing in the pod template: nothing rolls.
    expect((cluster.get("Deployment", "blog", ns) as V1Deployment).spec?.template).toEqual(
      installingTemplate,
    );
    expect((cluster.get("CronJob", "blog-wp-cron", ns) as { spec: { suspend: boolean } }).spec.suspend).toBe(
      false,
    );
    // Passes after it change nothing.
    await reconcileSite(ctx, site.id);
    expect((await siteRow(site.id)).installedAt).toEqual(installedAt);
    const statusRows = await db.prisma.changeLog.findMany({ where: { objectId: site.id, action: "STATUS" } });
    expect(statusRows.filter((r) => (r.data as { installed?: boolean }).installed)).toHaveLength(1);
    expect(JSON.stringify(statusRows.map((r) => r.data))).not.toContain(password);
  });

  it("shows a failed install as Degraded with the pod's last lines, fetched once and redacted, then retries later as a new Job", async () => {
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "shop",
      domain: `shop-${account.slug}.example.test`,
    });
    const dbPassword = openSiteSecrets((await siteRow(site.id)).secretsCiphertext).database.password;
    const cluster = new FakeCluster();
    // The script never prints the password; a log line that did must still not reach the panel.
    const logs = new FakeLogs(
      () =>
        `{"level":"info","msg":"waiting for the database"}\n{"level":"error","msg":"denied for password ${dbPassword}"}\n`,
    );
    const ctx = context(cluster, logs);
    await reconcileSite(ctx, site.id);
    const ns = namespace();
    const job = cluster.get("Job", "shop-install-1", ns) as V1Job;
    cluster.putPod(jobPod(site.id, "shop-install-1", job.metadata?.uid ?? "", 1));
    cluster.setStatus("Job", "shop-install-1", ns, {
      conditions: [
        {
          type: "Failed",
          status: "True",
          reason: "BackoffLimitExceeded",
          message: "Job has reached the specified backoff limit",
          lastTransitionTime: clock,
        },
      ],
    });

    const failed = await reconcileSite(ctx, site.id);
    let row = await siteRow(site.id);
    expect(row.phase).toBe("DEGRADED");
    const degraded = parseConditions(row.conditions).find((c) => c.type === "Degraded");
    expect(degraded).toMatchObject({
      status: "True",
      reason: "InstallFailed",
      message: expect.stringContaining("Job shop-install-1"),
    });
    expect(degraded?.logs).toContain("==> container install <==");
    expect(degraded?.logs).toContain("denied for password [redacted]");
    expect(degraded?.logs).not.toContain(dbPassword);
    expect(logs.calls).toEqual([
      { namespace: ns, pod: "shop-install-1-abcde", container: "install", previous: false },
    ]);
    // Not a tight loop: the retry waits (2 minutes for the first failure), and says when to look again.
    expect(failed.requeueAfterMs).toBeGreaterThan(110_000);
    expect(failed.requeueAfterMs).toBeLessThanOrEqual(121_000);

    // Passes meanwhile neither fetch the log again nor write anything.
    const changes = await db.prisma.changeLog.count({ where: { objectId: site.id } });
    clock = new Date(clock.getTime() + 60_000);
    await reconcileSite(ctx, site.id);
    expect(logs.calls).toHaveLength(1);
    expect(await db.prisma.changeLog.count({ where: { objectId: site.id } })).toBe(changes);

    // After the pause: generation 2, a new Job; the failed one goes.
    clock = new Date(clock.getTime() + 61_000);
    expect((await reconcileSite(ctx, site.id)).requeueAfterMs).not.toBe(0);
    expect((await siteRow(site.id)).installGeneration).toBe(2);
    expect(cluster.has("Job", "shop-install-2", ns)).toBe(true);
    expect(cluster.has("Job", "shop-install-1", ns)).toBe(false);
    row = await siteRow(site.id);
    expect(row.phase).toBe("PROVISIONING");
    expect(parseConditions(row.conditions).find((c) => c.type === "Degraded")?.status).toBe("False");
  });

  it("records an install whose pod succeeded before its Job says so, even past the run limit, without calling the new objects restored", async () => {
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "late",
      domain: `late-${account.slug}.example.test`,
    });
    const cluster = new FakeCluster();
    const ctx = context(cluster, new FakeLogs(() => "copying WordPress\n"));
    await reconcileSite(ctx, site.id);
    const ns = namespace();
    const job = cluster.get("Job", "late-install-1", ns) as V1Job;
    const running = jobPod(site.id, "late-install-1", job.metadata?.uid ?? "", 0);
    running.status = { phase: "Running", startTime: clock };
    cluster.putPod(running);
    // Eleven minutes running and no word from the Job: the run limit calls it failed (Degraded).
    clock = new Date(clock.getTime() + 11 * 60_000);
    await reconcileSite(ctx, site.id);
    expect((await siteRow(site.id)).phase).toBe("DEGRADED");
    expect(cluster.has("CronJob", "late-wp-cron", ns)).toBe(false);

    // The pod exits 0; the Job controller, busy, has not marked the Job Complete yet.
    cluster.putPod({ ...running, status: { ...running.status, phase: "Succeeded" } });
    await reconcileSite(ctx, site.id);
    const row = await siteRow(site.id);
    expect(row.installedAt).not.toBeNull();
    expect(row.installGeneration).toBe(1);
    expect(cluster.has("CronJob", "late-wp-cron", ns)).toBe(true);
    // The succeeded Job stays for its TTL, and the wp-cron CronJob is new, not put back.
    expect(cluster.has("Job", "late-install-1", ns)).toBe(true);
    expect(await db.prisma.siteEvent.findMany({ where: { siteId: site.id } })).toEqual([]);
  });

  it("shows a crash-looping site pod as Degraded with its previous run's log, and a pod that never gets ready after 3 minutes", async () => {
    const cluster = new FakeCluster();
    const logs = new FakeLogs((ref) => `${ref.container} says: boom\n`);
    const ctx = context(cluster, logs);
    const site = await createSiteRow(db.prisma, {
      accountId: account.id,
      name: "news",
      domain: `news-${account.slug}.example.test`,
    });
    await reconcileSite(ctx, site.id);
    const ns = namespace();
    cluster.setStatus("Job", "news-install-1", ns, { conditions: [{ type: "Complete", status: "True" }] });
    cluster.setStatus("PersistentVolumeClaim", "news-files", ns, { phase: "Bound" });
    await reconcileSite(ctx, site.id);
    await reconcileSite(ctx, site.id);
    cluster.setStatus("Deployment", "news", ns, {
      observedGeneration: 1,
      replicas: 1,
      unavailableReplicas: 1,
    });
    const pod = (php: V1Pod["status"]): V1Pod => ({
      metadata: {
        name: "news-5d9f-x1",
        namespace: ns,
        creationTimestamp: clock,
        labels: { [SITE_LABEL]: site.id, "app.kubernetes.io/component": "web" },
      },
      status: php,
    });
    cluster.putPod(
      pod({
        phase: "Running",
        containerStatuses: [
          {
            name: "php",
            image: "img",
            imageID: "",
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: "CrashLoopBackOff" } },
            lastState: { terminated: { exitCode: 255 } },
          },
        ],
      }),
    );
    await reconcileSite(ctx, site.id);
    let degraded = parseConditions((await siteRow(site.id)).conditions).find((c) => c.type === "Degraded");
    expect(degraded).toMatchObject({ status: "True", reason: "CrashLoop" });
    expect(degraded?.logs).toBe("==> container php (previous run) <==\nphp says: boom");
    expect(logs.calls).toEqual([{ namespace: ns, pod: "news-5d9f-x1", container: "php", previous: true }]);

    // Fixed, then a pod that runs but never passes its probe: provisioning first, Degraded after 3 minutes.
    const startedAt = clock;
    const notReady = pod({
      phase: "Running",
      containerStatuses: ["nginx", "php"].map((name) => ({
        name,
        image: "img",
        imageID: "",
        ready: name === "php",
        restartCount: 0,
        state: { running: { startedAt } },
      })),
    });
    cluster.putPod(notReady);
    const young = await reconcileSite(ctx, site.id);
    expect((await siteRow(site.id)).phase).toBe("PROVISIONING");
    expect(young.requeueAfterMs).toBe(NOT_READY_AFTER_MS + 1_000);
    clock = new Date(startedAt.getTime() + NOT_READY_AFTER_MS);
    await reconcileSite(ctx, site.id);
    degraded = parseConditions((await siteRow(site.id)).conditions).find((c) => c.type === "Degraded");
    expect(degraded).toMatchObject({ status: "True", reason: "NotReady" });
    expect(degraded?.logs).toContain("==> container nginx <==\nnginx says: boom");
    expect(degraded?.logs).toContain("==> container php <==\nphp says: boom");
    expect(logs.calls).toHaveLength(3);
  });
});
