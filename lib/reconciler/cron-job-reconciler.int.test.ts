/**
 * A cron job through the real reconciler and the real cluster: created through the service, its
 * CronJob appears in the account's namespace with the spec the row asks for, pausing suspends it,
 * and deleting removes the CronJob and then the row.
 */
import { BatchV1Api, type KubeConfig, type V1CronJob } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CRON_JOB_LABEL, SITE_LABEL } from "@/lib/k8s/manifests/labels";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { parseConditions } from "@/lib/views";
import { testKubeConfig } from "@/tests/helpers/cluster";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { type Reconciler, startReconciler } from "./reconciler";
import {
  createCustomerAccount,
  createSiteRow,
  deleteNamespaces,
  dropSiteDatabases,
  eventually,
  randomSlug,
} from "./test-support";

const db = withTestDatabase();

describe("cron job reconciler (cluster)", () => {
  let kc: KubeConfig;
  let reconciler: Reconciler | undefined;
  let account: { id: string; slug: string };
  let owner: { id: string };
  let siteId = "";
  let cronJobId = "";
  const namespace = () => `sp-${account.slug}`;

  async function readCronJob(): Promise<V1CronJob | undefined> {
    try {
      return await kc
        .makeApiClient(BatchV1Api)
        .readNamespacedCronJob({ name: `cron-${cronJobId}`, namespace: namespace() });
    } catch {
      return undefined;
    }
  }

  beforeAll(async () => {
    kc = testKubeConfig();
    const p = db().prisma;
    account = await createCustomerAccount(p, randomSlug("cron"));
    owner = await createTestUser(p, {
      email: `${account.slug}@cron.test`,
      roles: [{ account, role: "OWNER" }],
    });
    reconciler = await startReconciler({
      prisma: p,
      kubeConfig: kc,
      pollIntervalMs: 200,
      backoff: { baseDelayMs: 200, maxDelayMs: 5_000 },
    });
    siteId = (
      await createSiteRow(p, { accountId: account.id, name: "blog", domain: `${account.slug}.example.test` })
    ).id;
  });

  afterAll(async () => {
    await reconciler?.stop();
    if (kc && account) await deleteNamespaces(kc, [namespace()]);
    await dropSiteDatabases(db().prisma);
  });

  it("creates the CronJob in the account's namespace with the row's spec, and records Ready", async () => {
    const created = await createCronJob({
      actor: { userId: owner.id },
      siteId,
      input: {
        name: "nightly",
        schedule: "15 3 * * 1-5",
        command: "php -r 'echo 1;'",
        concurrencyPolicy: "REPLACE",
      },
    });
    cronJobId = created.id;
    const cron = await eventually("CronJob created", readCronJob);
    expect(cron.metadata?.labels).toMatchObject({ [CRON_JOB_LABEL]: cronJobId, [SITE_LABEL]: siteId });
    expect(cron.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "ConfigMap", name: "blog-root" });
    expect(cron.spec).toMatchObject({
      schedule: "15 3 * * 1-5",
      timeZone: "Etc/UTC",
      suspend: false,
      concurrencyPolicy: "Replace",
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    const container = cron.spec?.jobTemplate.spec?.template.spec?.containers[0];
    expect(container?.command).toEqual(["sh", "-c", "php -r 'echo 1;'"]);
    expect(container?.workingDir).toBe("/var/www/html");
    expect(container?.envFrom).toEqual([{ secretRef: { name: "blog-env" } }]);
    const row = await eventually("cron job Ready", async () => {
      const r = await db().prisma.cronJob.findUniqueOrThrow({ where: { id: cronJobId } });
      return parseConditions(r.conditions).some((c) => c.type === "Ready" && c.status === "True")
        ? r
        : undefined;
    });
    expect(row.observedGeneration).toBe(1);
  });

  it("suspends the CronJob when the job is paused", async () => {
    await updateCronJob({ actor: { userId: owner.id }, cronJobId, input: { enabled: false } });
    await eventually("CronJob suspended", async () =>
      (await readCronJob())?.spec?.suspend ? true : undefined,
    );
  });

  it("deletes the CronJob, then the row", async () => {
    await deleteCronJob({ actor: { userId: owner.id }, cronJobId });
    await eventually("CronJob gone", async () => ((await readCronJob()) ? undefined : true));
    await eventually("row gone", async () =>
      (await db().prisma.cronJob.findUnique({ where: { id: cronJobId } })) ? undefined : true,
    );
  });
});
