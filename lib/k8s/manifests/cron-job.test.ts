import type { V1CronJob } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { type CronJobManifestSpec, buildCronJob, cronJobObjectName } from "./cron-job";
import { specHashOf } from "./hash";
import { CRON_JOB_LABEL, MANAGED_BY_LABEL, SITE_LABEL } from "./labels";
import { exampleSiteSpec } from "./test-fixtures";

const root = { uid: "0b1c6f0e-0000-4000-8000-000000000001" };

function job(overrides: Partial<CronJobManifestSpec> = {}): CronJobManifestSpec {
  return {
    id: "ckcron0000000000000000001",
    name: "nightly-import",
    schedule: "0 3 * * *",
    command: "php artisan import --all 2>&1 | tee /tmp/import.log",
    enabled: true,
    concurrencyPolicy: "FORBID",
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 1,
    ...overrides,
  };
}

const build = (spec = exampleSiteSpec(), j = job()) => buildCronJob(spec, root, j) as unknown as V1CronJob;

describe("buildCronJob", () => {
  it("names the CronJob after the row's id, in the account's namespace, owned by the site's root", () => {
    const cron = build();
    expect(cron.metadata?.name).toBe("cron-ckcron0000000000000000001");
    expect(cronJobObjectName("x").length).toBeLessThanOrEqual(52);
    expect(cron.metadata?.namespace).toBe("sp-acme");
    expect(cron.metadata?.ownerReferences).toEqual([
      expect.objectContaining({
        kind: "ConfigMap",
        name: "blog-root",
        uid: root.uid,
        blockOwnerDeletion: true,
      }),
    ]);
    expect(cron.metadata?.annotations?.["sitepod.io/cron-job-name"]).toBe("nightly-import");
  });

  it("runs the command with sh -c in the site's image, from the document root, with its volume and env", () => {
    const cron = build();
    expect(cron.spec).toMatchObject({
      schedule: "0 3 * * *",
      timeZone: "Etc/UTC",
      suspend: false,
      concurrencyPolicy: "Forbid",
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    expect(cron.spec?.jobTemplate.spec).toMatchObject({ backoffLimit: 0, activeDeadlineSeconds: 3600 });
    const pod = cron.spec?.jobTemplate.spec?.template.spec;
    expect(pod).toMatchObject({
      restartPolicy: "Never",
      serviceAccountName: "sitepod-site",
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 33, seccompProfile: { type: "RuntimeDefault" } },
    });
    expect(pod?.containers).toHaveLength(1);
    expect(pod?.containers[0]).toMatchObject({
      name: "cron",
      image: "sitepod.local/runtime:php8.3",
      command: ["sh", "-c", "php artisan import --all 2>&1 | tee /tmp/import.log"],
      workingDir: "/var/www/html",
      envFrom: [{ secretRef: { name: "blog-env" } }],
      resources: { requests: { cpu: "25m", memory: "64Mi" }, limits: { cpu: "500m", memory: "384Mi" } },
      securityContext: {
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
      },
    });
    expect(pod?.containers[0]?.volumeMounts?.map((m) => m.mountPath)).toEqual([
      "/var/www/html",
      "/etc/sitepod/php/zz-sitepod.ini",
      "/tmp",
    ]);
    expect(pod?.volumes?.find((v) => v.name === "files")?.persistentVolumeClaim?.claimName).toBe(
      "blog-files",
    );
  });

  it("labels the CronJob, its Jobs and pods as the site's, watched, and with the cron job's id", () => {
    const cron = build();
    for (const labels of [
      cron.metadata?.labels,
      cron.spec?.jobTemplate.metadata?.labels,
      cron.spec?.jobTemplate.spec?.template.metadata?.labels,
    ]) {
      expect(labels).toMatchObject({
        [MANAGED_BY_LABEL]: "sitepod",
        [SITE_LABEL]: "site123",
        "sitepod.io/account": "acct456",
        "app.kubernetes.io/component": "cron",
        [CRON_JOB_LABEL]: "ckcron0000000000000000001",
      });
    }
  });

  it("maps the concurrency policy and history limits, and is suspended when paused or the account is", () => {
    expect(build(exampleSiteSpec(), job({ concurrencyPolicy: "ALLOW" })).spec?.concurrencyPolicy).toBe(
      "Allow",
    );
    expect(build(exampleSiteSpec(), job({ concurrencyPolicy: "REPLACE" })).spec?.concurrencyPolicy).toBe(
      "Replace",
    );
    expect(
      build(exampleSiteSpec(), job({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 })).spec,
    ).toMatchObject({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 5 });
    expect(build(exampleSiteSpec(), job({ enabled: false })).spec?.suspend).toBe(true);
    expect(build(exampleSiteSpec({ suspended: true })).spec?.suspend).toBe(true);
    expect(build(exampleSiteSpec({ app: "PHP", wordpress: undefined })).spec?.suspend).toBe(false);
  });

  it("puts its pods on the nodes the operator chose for site pods", () => {
    const placement = {
      nodeSelector: { "sitepod.io/pool": "sites" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "sites", effect: "NoSchedule" }],
    };
    const pod = build(exampleSiteSpec({ placement })).spec?.jobTemplate.spec?.template.spec;
    expect(pod?.nodeSelector).toEqual({ "sitepod.io/pool": "sites" });
    expect(pod?.tolerations).toEqual(placement.tolerations);
    expect(build().spec?.jobTemplate.spec?.template.spec?.nodeSelector).toBeUndefined();
  });

  it("changes its spec hash with the spec, and only then", () => {
    expect(specHashOf(build())).toBe(specHashOf(build()));
    expect(specHashOf(build(exampleSiteSpec(), job({ schedule: "0 4 * * *" })))).not.toBe(
      specHashOf(build()),
    );
    expect(specHashOf(build(exampleSiteSpec(), job({ enabled: false })))).not.toBe(specHashOf(build()));
  });
});
