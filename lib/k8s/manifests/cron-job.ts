/**
 * A site's own cron job (a CronJob row) as a batch/v1 CronJob in the account's namespace: `sh -c
 * <command>` in the site's runtime image, from the document root, with the site's volume, php.ini
 * and environment, as WordPress's wp-cron runs (./wp-cron.ts). The same ReadWriteOnce caveat holds:
 * its pods share the site's volume, so on several nodes they need a ReadWriteMany class or affinity.
 *
 * Unlike wp-cron's, its Jobs and pods carry the managed-by label: the reconciler watches them to
 * report each run's outcome, exit code and output. They also carry the cron job's label, which
 * routes their events to the cron job, not to the site.
 */
import type { V1CronJob } from "@kubernetes/client-node";
import { DOCUMENT_ROOT } from "./config-files";
import { withSpecHash } from "./hash";
import { placementPodFields } from "./placement";
import { CRON_JOB_LABEL, SITE_SERVICE_ACCOUNT, siteObjectNames } from "./labels";
import type { RenderedObject } from "./objects";
import {
  childMetadata,
  filesMount,
  phpIniMount,
  type SiteRootRef,
  siteContainerSecurityContext,
  sitePodSecurityContext,
  siteVolumes,
  tmpMount,
} from "./site-pod";
import type { SiteManifestSpec } from "./types";

export const CRON_JOB_CONTAINER = "cron";
export const CRON_JOB_COMPONENT = "cron";
/** Schedules are read in UTC; accounts have no time zone setting yet. */
export const CRON_JOB_TIME_ZONE = "Etc/UTC";
/** A run is stopped after this long, so that a hung run cannot hold a Forbid job back for good. */
export const CRON_RUN_TIMEOUT_SECONDS = 3600;
/** A run missed by more than this (the controller was down) is skipped; the next one comes. */
export const CRON_STARTING_DEADLINE_SECONDS = 300;

export type CronConcurrency = "FORBID" | "ALLOW" | "REPLACE";

/** What the builder needs of a CronJob row: plain data, already validated. */
export interface CronJobManifestSpec {
  id: string;
  name: string;
  schedule: string;
  command: string;
  enabled: boolean;
  concurrencyPolicy: CronConcurrency;
  successfulJobsHistoryLimit: number;
  failedJobsHistoryLimit: number;
}

const CONCURRENCY: Record<CronConcurrency, "Forbid" | "Allow" | "Replace"> = {
  FORBID: "Forbid",
  ALLOW: "Allow",
  REPLACE: "Replace",
};

/**
 * `cron-<id>`: the row's id is unique and never changes, so renaming the job keeps its CronJob,
 * and no pair of site and job names can collide. 30 characters, within the 52 a CronJob may have.
 */
export function cronJobObjectName(cronJobId: string): string {
  return `cron-${cronJobId}`;
}

export function buildCronJob(
  site: SiteManifestSpec,
  root: SiteRootRef,
  job: CronJobManifestSpec,
): RenderedObject {
  const names = siteObjectNames(site.name);
  const metadata = childMetadata(site, root, cronJobObjectName(job.id), CRON_JOB_COMPONENT);
  const labels = { ...metadata.labels, [CRON_JOB_LABEL]: job.id };
  const cron = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { ...metadata, labels, annotations: { "sitepod.io/cron-job-name": job.name } },
    spec: {
      schedule: job.schedule,
      timeZone: CRON_JOB_TIME_ZONE,
      suspend: Boolean(!job.enabled || site.suspended),
      concurrencyPolicy: CONCURRENCY[job.concurrencyPolicy],
      startingDeadlineSeconds: CRON_STARTING_DEADLINE_SECONDS,
      successfulJobsHistoryLimit: job.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: job.failedJobsHistoryLimit,
      jobTemplate: {
        metadata: { labels },
        spec: {
          // A failed run is reported, not retried: the next scheduled run is the retry.
          backoffLimit: 0,
          activeDeadlineSeconds: CRON_RUN_TIMEOUT_SECONDS,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              serviceAccountName: SITE_SERVICE_ACCOUNT,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: sitePodSecurityContext(),
              // On the nodes the operator chose for site pods, as the site's own pods are.
              ...placementPodFields(site.placement),
              containers: [
                {
                  name: CRON_JOB_CONTAINER,
                  image: site.runtimeImage,
                  imagePullPolicy: "IfNotPresent",
                  command: ["sh", "-c", job.command],
                  workingDir: DOCUMENT_ROOT,
                  envFrom: [{ secretRef: { name: names.env } }],
                  volumeMounts: [filesMount(), phpIniMount(), tmpMount(CRON_JOB_CONTAINER)],
                  resources: {
                    requests: { cpu: "25m", memory: "64Mi" },
                    // As much memory as the site's PHP has: php.ini's memory_limit follows it.
                    limits: { cpu: "500m", memory: site.resources.php.memoryLimit },
                  },
                  securityContext: siteContainerSecurityContext(),
                },
              ],
              volumes: siteVolumes(site),
            },
          },
        },
      },
    },
  } satisfies V1CronJob & RenderedObject;
  return withSpecHash(cron);
}
