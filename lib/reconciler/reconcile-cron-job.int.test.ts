/**
 * The cron job reconciler's pass against the real database and an in-memory cluster (informer
 * cache, writer and log reader as fakes): what it applies, what it records, when it stays quiet,
 * and how it deletes. The same pass against the real cluster: reconcile-cron-job.cluster.int.test.ts.
 */
import { randomUUID } from "node:crypto";
import type { KubernetesObject, V1CronJob } from "@kubernetes/client-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { ObjectRef } from "@/lib/k8s/apply";
import { labelledIn, labelValuesIn, type ObservedObject, type ObservedState } from "@/lib/k8s/informers";
import { CRON_JOB_LABEL, MANAGED_BY_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import type { ManagedKind, RenderedObject } from "@/lib/k8s/manifests/objects";
import { exampleSettings } from "@/lib/k8s/manifests/test-fixtures";
import type { PodLogReader } from "@/lib/k8s/pod-logs";
import { log } from "@/lib/log";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { openSiteSecrets } from "@/lib/services/site/site-secrets";
import type { SiteDbAdmin } from "@/lib/site-db/admin";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { KINDS } from "./kinds";
import { cronJobKind, reconcileCronJob } from "./reconcile-cron-job";
import type { ReconcileContext } from "./context";
import { siteDefaultsFromEnv } from "./site-spec";
import { createCustomerAccount, createSiteRow } from "./test-support";

const db = withTestDatabase();

/** An in-memory cluster: what the writer applies lands in the cache the reconciler reads. */
function fakeCluster() {
  const objects = new Map<string, ObservedObject>();
  const key = (kind: string, name: string, namespace?: string) => `${kind} ${namespace ?? ""}/${name}`;
  const applied: RenderedObject[] = [];
  const deleted: string[] = [];
  const put = (kind: ManagedKind, object: KubernetesObject) =>
    objects.set(key(kind, object.metadata?.name ?? "", object.metadata?.namespace), {
      kind,
      apiVersion: object.apiVersion ?? "v1",
      object,
    });
  const observed: ObservedState = {
    get: (kind, name, namespace) => objects.get(key(kind, name, namespace))?.object,
    labelled: (label, value) => labelledIn([...objects.values()], label, value),
    labelValues: (label) => labelValuesIn([...objects.values()], label),
    served: () => true,
  };
  const writer = {
    async apply(obj: RenderedObject) {
      applied.push(obj);
      const existing = objects.get(key(obj.kind, obj.metadata.name, obj.metadata.namespace))?.object;
      const object = {
        ...obj,
        metadata: { ...obj.metadata, uid: existing?.metadata?.uid ?? randomUUID() },
        status: (existing as { status?: unknown } | undefined)?.status,
      } as KubernetesObject;
      put(obj.kind, object);
      return object;
    },
    async delete(ref: ObjectRef) {
      deleted.push(`${ref.kind} ${ref.metadata.name}`);
      return objects.delete(key(ref.kind, ref.metadata.name, ref.metadata.namespace));
    },
    async read(ref: ObjectRef) {
      return objects.get(key(ref.kind, ref.metadata.name, ref.metadata.namespace))?.object;
    },
    async list() {
      return [];
    },
  };
  return { objects, observed, writer, applied, deleted, put };
}

let ctx: ReconcileContext;
let cluster: ReturnType<typeof fakeCluster>;
let tails: string[];
let account: { id: string; slug: string };
let site: { id: string };
let owner: { id: string };
let dbPassword: string;

beforeAll(async () => {
  const p = db().prisma;
  account = await createCustomerAccount(p, `cron-${randomUUID().slice(0, 8)}`);
  site = await createSiteRow(p, {
    accountId: account.id,
    name: "blog",
    domain: `${account.slug}.example.test`,
  });
  owner = await createTestUser(p, { email: "owner@cron.test", roles: [{ account, role: "OWNER" }] });
  const row = await p.site.findUniqueOrThrow({ where: { id: site.id } });
  dbPassword = openSiteSecrets(row.secretsCiphertext).database.password;
  cluster = fakeCluster();
  tails = [];
  const logs: PodLogReader = {
    async tail(ref) {
      tails.push(ref.pod);
      return `importing 12 rows\nconnecting with ${dbPassword}\nimport failed: table locked\n`;
    },
  };
  ctx = {
    prisma: p,
    observed: cluster.observed,
    writer: cluster.writer,
    settings: exampleSettings,
    defaults: siteDefaultsFromEnv(),
    siteDb: {} as SiteDbAdmin,
    logs,
    log: log.child({ test: "reconcile-cron-job" }),
    hooks: {},
    signal: new AbortController().signal,
    now: () => new Date("2026-11-30T06:00:00Z"),
  };
});

const namespace = () => `sp-${account.slug}`;
const changesOf = (id: string) =>
  db().prisma.changeLog.findMany({ where: { objectId: id }, orderBy: { id: "asc" } });

describe("reconcileCronJob", () => {
  let cronJobId: string;

  it("waits for the site's root before it applies anything, and says so", async () => {
    const created = await createCronJob({
      actor: { userId: owner.id },
      siteId: site.id,
      input: { name: "nightly-import", schedule: "0 3 * * *", command: "php import.php" },
    });
    cronJobId = created.id;
    const result = await reconcileCronJob(ctx, cronJobId);
    expect(result).toMatchObject({ outcome: "waiting", requeueAfterMs: 5_000 });
    expect(cluster.applied).toEqual([]);
    const row = await db().prisma.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
    expect(row.conditions).toEqual([
      expect.objectContaining({ type: "Ready", status: "False", reason: "WaitingForSite" }),
    ]);
  });

  it("applies the CronJob under the site's root and records it Ready, then stays quiet", async () => {
    cluster.put("ConfigMap", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "blog-root", namespace: namespace(), uid: "root-uid" },
    });
    expect((await reconcileCronJob(ctx, cronJobId)).outcome).toBe("synced");
    expect(cluster.applied).toHaveLength(1);
    const cron = cluster.applied[0] as unknown as V1CronJob;
    expect(cron.metadata).toMatchObject({
      name: `cron-${cronJobId}`,
      namespace: namespace(),
      labels: { [CRON_JOB_LABEL]: cronJobId, [SITE_LABEL]: site.id },
      ownerReferences: [expect.objectContaining({ uid: "root-uid" })],
    });
    expect(cron.spec).toMatchObject({ schedule: "0 3 * * *", suspend: false, concurrencyPolicy: "Forbid" });
    expect(cron.spec?.jobTemplate.spec?.template.spec?.containers[0]?.command).toEqual([
      "sh",
      "-c",
      "php import.php",
    ]);
    const row = await db().prisma.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
    expect(row.observedGeneration).toBe(1);
    expect(row.conditions).toEqual([
      expect.objectContaining({ type: "Ready", status: "True", reason: "Scheduled" }),
      expect.objectContaining({ type: "Degraded", status: "False", reason: "NoRunsYet" }),
    ]);

    const changes = (await changesOf(cronJobId)).length;
    expect((await reconcileCronJob(ctx, cronJobId)).outcome).toBe("synced");
    expect(cluster.applied).toHaveLength(1);
    expect((await changesOf(cronJobId)).length).toBe(changes);
  });

  it("records a failed run with its exit code, its output once (secrets redacted), and turns Degraded", async () => {
    const name = `cron-${cronJobId}`;
    const cached = cluster.observed.get("CronJob", name, namespace()) as V1CronJob;
    cluster.put("CronJob", {
      ...cached,
      status: { lastScheduleTime: new Date("2026-11-30T03:00:00Z") },
    } as KubernetesObject);
    const labels = { [MANAGED_BY_LABEL]: "sitepod", [CRON_JOB_LABEL]: cronJobId, [SITE_LABEL]: site.id };
    cluster.put("Job", {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name: `${name}-29400000`,
        namespace: namespace(),
        uid: "job-uid",
        labels,
        ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name, uid: "x", controller: true }],
      },
      status: {
        startTime: new Date("2026-11-30T03:00:00Z"),
        conditions: [
          {
            type: "Failed",
            status: "True",
            reason: "BackoffLimitExceeded",
            lastTransitionTime: new Date("2026-11-30T03:00:07Z"),
          },
        ],
      },
    } as KubernetesObject);
    cluster.put("Pod", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: `${name}-29400000-x1`,
        namespace: namespace(),
        labels,
        creationTimestamp: new Date("2026-11-30T03:00:01Z"),
        ownerReferences: [
          { apiVersion: "batch/v1", kind: "Job", name: `${name}-29400000`, uid: "job-uid", controller: true },
        ],
      },
      status: {
        containerStatuses: [
          {
            name: "cron",
            image: "x",
            imageID: "",
            ready: false,
            restartCount: 0,
            state: { terminated: { exitCode: 3, reason: "Error" } },
          },
        ],
      },
    } as KubernetesObject);

    expect((await reconcileCronJob(ctx, cronJobId)).outcome).toBe("synced");
    const row = await db().prisma.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
    expect(row.lastScheduleTime?.toISOString()).toBe("2026-11-30T03:00:00.000Z");
    expect(row.runs).toEqual([
      {
        name: `${name}-29400000`,
        status: "Failed",
        startedAt: "2026-11-30T03:00:00.000Z",
        finishedAt: "2026-11-30T03:00:07.000Z",
        exitCode: 3,
        reason: "BackoffLimitExceeded",
      },
    ]);
    expect(row.conditions).toContainEqual(
      expect.objectContaining({
        type: "Degraded",
        status: "True",
        reason: "RunFailed",
        message: `The last run (${name}-29400000) failed: exit code 3, BackoffLimitExceeded.`,
      }),
    );
    expect(row.lastOutput).toBe("importing 12 rows\nconnecting with [redacted]\nimport failed: table locked");
    expect(row.lastOutput).not.toContain(dbPassword);
    expect(row.lastOutputRun).toBe(`${name}-29400000`);
    const status = (await changesOf(cronJobId)).at(-1);
    expect(status).toMatchObject({ kind: "CronJob", action: "STATUS", accountId: account.id });

    // The output of a run is read once.
    await reconcileCronJob(ctx, cronJobId);
    expect(tails).toEqual([`${name}-29400000-x1`]);
  });

  it("suspends the CronJob when the job is paused, at the new generation", async () => {
    await updateCronJob({ actor: { userId: owner.id }, cronJobId, input: { enabled: false } });
    await reconcileCronJob(ctx, cronJobId);
    expect((cluster.applied.at(-1) as unknown as V1CronJob).spec?.suspend).toBe(true);
    const row = await db().prisma.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
    expect(row.observedGeneration).toBe(2);
    expect(row.conditions).toContainEqual(expect.objectContaining({ type: "Ready", reason: "Paused" }));
  });

  it("deletes the CronJob, then the row with a DELETED change", async () => {
    await deleteCronJob({ actor: { userId: owner.id }, cronJobId });
    expect((await reconcileCronJob(ctx, cronJobId)).outcome).toBe("deleted");
    expect(cluster.deleted).toEqual([`CronJob cron-${cronJobId}`]);
    expect(await db().prisma.cronJob.findUnique({ where: { id: cronJobId } })).toBeNull();
    expect((await changesOf(cronJobId)).at(-1)).toMatchObject({ action: "DELETED", kind: "CronJob" });
    expect((await reconcileCronJob(ctx, cronJobId)).outcome).toBe("pruned");
  });

  it("prunes a labelled CronJob no row wants, in accounts this database knows only", async () => {
    const stray = (id: string, accountId: string) => ({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: {
        name: `cron-${id}`,
        namespace: namespace(),
        labels: { [MANAGED_BY_LABEL]: "sitepod", [CRON_JOB_LABEL]: id, "sitepod.io/account": accountId },
      },
    });
    cluster.put("CronJob", stray("gone1", account.id));
    cluster.put("CronJob", stray("gone2", "someone-elses-account"));
    cluster.deleted.length = 0;
    expect((await reconcileCronJob(ctx, "gone1")).outcome).toBe("pruned");
    expect((await reconcileCronJob(ctx, "gone2")).outcome).toBe("pruned");
    expect(cluster.deleted).toEqual(["CronJob cron-gone1"]);
  });

  it("is registered as a kind: its changes, its objects' events, and the site and account changes it renders from", async () => {
    expect(KINDS).toContain(cronJobKind);
    expect(cronJobKind.changeKinds).toEqual(["CronJob"]);
    const job = await createCronJob({
      actor: { userId: owner.id },
      siteId: site.id,
      input: { name: "hourly", schedule: "0 * * * *", command: "php hourly.php" },
    });
    expect(
      cronJobKind.ownerOf?.({
        kind: "Pod",
        apiVersion: "v1",
        object: { metadata: { name: "p", labels: { [CRON_JOB_LABEL]: job.id, [SITE_LABEL]: site.id } } },
      }),
    ).toBe(job.id);
    expect(
      cronJobKind.ownerOf?.({
        kind: "Pod",
        apiVersion: "v1",
        object: { metadata: { labels: { [SITE_LABEL]: site.id } } },
      }),
    ).toBeUndefined();
    const p = db().prisma;
    expect(await cronJobKind.dependentsOf?.(p, { siteIds: [site.id], accountIds: [] })).toEqual([job.id]);
    expect(await cronJobKind.dependentsOf?.(p, { siteIds: [], accountIds: [account.id] })).toEqual([job.id]);
    expect(await cronJobKind.dependentsOf?.(p, { siteIds: ["other"], accountIds: [] })).toEqual([]);
    expect(await cronJobKind.listIds(p)).toContain(job.id);
  });
});
