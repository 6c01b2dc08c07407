/**
 * WordPress's scheduled tasks run as a Kubernetes CronJob instead of on page views
 * (wp-config.php sets DISABLE_WP_CRON). Its pods mount the site's volume, which is ReadWriteOnce:
 * that holds as long as they land on the node of the site's pod, which is the case on a one-node
 * cluster; on several nodes it needs a ReadWriteMany class or pod affinity to the site's pod.
 */
import { placementPodFields } from "@/lib/k8s/manifests/placement";
import type { V1CronJob } from "@kubernetes/client-node";
import { DOCUMENT_ROOT } from "./config-files";
import { withSpecHash } from "./hash";
import { SITE_SERVICE_ACCOUNT, siteObjectNames } from "./labels";
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
  unwatchedSiteLabels,
} from "./site-pod";
import type { SiteManifestSpec } from "./types";

/** wp-cron runs every this many minutes. */
export const WP_CRON_EVERY_MINUTES = 5;

/**
 * Every five minutes, from a minute of the first five that the site's id picks: on a cluster of
 * thousands of WordPress sites, one schedule for all ("every fifth minute") would start a Job and
 * a pod for every site in the same minute, 5,000 at once every five minutes. The same site always
 * gets the same minute.
 */
export function wpCronSchedule(siteId: string): string {
  // FNV-1a: a stable, evenly spread hash with no dependency.
  let hash = 0x811c9dc5;
  for (let i = 0; i < siteId.length; i++) {
    hash ^= siteId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  const minute = hash % WP_CRON_EVERY_MINUTES;
  return `${minute}-59/${WP_CRON_EVERY_MINUTES} * * * *`;
}
export const WP_CRON_CONTAINER = "wp-cron";
/** The component label of the CronJob and of its runs. */
export const WP_CRON_COMPONENT = "wp-cron";

/** At most 52 characters, as a CronJob's name must be: site names have at most 40. */
export function wpCronJobName(siteName: string): string {
  return `${siteName}-wp-cron`;
}

/**
 * Undefined for sites that are not WordPress. Suspended while the account is suspended. The site
 * renders it only once WordPress is installed (wp-cron.php needs its tables).
 */
export function buildWpCronJob(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject | undefined {
  if (!spec.wordpress) return undefined;
  const names = siteObjectNames(spec.name);
  // The runs' Jobs and pods are left out of Sitepod's watch: one every five minutes per site would
  // wake the reconciler for nothing. The CronJob owns them, so they go with it.
  const labels = unwatchedSiteLabels(spec, WP_CRON_COMPONENT);
  const cron = {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: childMetadata(spec, root, wpCronJobName(spec.name), WP_CRON_COMPONENT),
    spec: {
      schedule: wpCronSchedule(spec.siteId),
      suspend: Boolean(spec.suspended),
      concurrencyPolicy: "Forbid",
      // A run missed by more than this (the controller was down) is skipped; the next one comes.
      startingDeadlineSeconds: 120,
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 0,
          // Shorter than the schedule, so a hung run never blocks the next one for good.
          activeDeadlineSeconds: 240,
          ttlSecondsAfterFinished: 3600,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: "Never",
              serviceAccountName: SITE_SERVICE_ACCOUNT,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
              securityContext: sitePodSecurityContext(),
              ...placementPodFields(spec.placement),
              containers: [
                {
                  name: WP_CRON_CONTAINER,
                  image: spec.runtimeImage,
                  imagePullPolicy: "IfNotPresent",
                  command: ["php", `${DOCUMENT_ROOT}/wp-cron.php`],
                  workingDir: DOCUMENT_ROOT,
                  envFrom: [{ secretRef: { name: names.env } }],
                  volumeMounts: [filesMount(), phpIniMount(), tmpMount(WP_CRON_CONTAINER)],
                  resources: {
                    requests: { cpu: "25m", memory: "64Mi" },
                    // As much memory as the site's PHP has: php.ini's memory_limit follows it.
                    limits: { cpu: "500m", memory: spec.resources.php.memoryLimit },
                  },
                  securityContext: siteContainerSecurityContext(),
                },
              ],
              volumes: siteVolumes(spec),
            },
          },
        },
      },
    },
  } satisfies V1CronJob & RenderedObject;
  return withSpecHash(cron);
}
