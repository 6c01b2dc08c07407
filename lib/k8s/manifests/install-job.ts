/**
 * The Job that installs WordPress into a site's volume and database, with the runtime image's
 * `sitepod-wp-install` (images/runtime/rootfs/usr/local/bin). The script is idempotent, the Job's
 * name is deterministic (`<site>-install-<generation>`) and applying it is idempotent, so a
 * reconciler killed mid-install finds the same Job again instead of starting a second install.
 */

import type { V1Affinity, V1Container, V1Job, V1Secret, V1Volume } from "@kubernetes/client-node";
import { placementPodFields } from "@/lib/k8s/manifests/placement";
import { DOCUMENT_ROOT, RUNTIME_PATHS } from "./config-files";
import { withSpecHash } from "./hash";
import { COMPONENT_LABEL, SITE_LABEL, SITE_SERVICE_ACCOUNT, siteLabels, siteObjectNames } from "./labels";
import type { RenderedObject } from "./objects";
import {
  childMetadata,
  filesMount,
  phpIniMount,
  type SiteRootRef,
  secretData,
  siteContainerSecurityContext,
  sitePodSecurityContext,
  siteVolumes,
  tmpMount,
} from "./site-pod";
import type { SiteManifestSpec } from "./types";

export const INSTALL_CONTAINER = "install";
/** sitepod-wp-install exits with this when retrying cannot help (a missing setting): the Job fails at once. */
export const INSTALL_EXIT_CONFIG_ERROR = 3;
/** Pods the Job may start: the first and two retries (the kubelet backs off between them). */
export const INSTALL_BACKOFF_LIMIT = 2;
/**
 * How long a finished install Job stays before Kubernetes removes it: longer than the reconciler's
 * pass after it finished may wait (at 5,000 sites being created at once, more than ten minutes,
 * and each Job removed before then was run a second time) and than the longest wait before a
 * failed install is retried (an hour, installRetryDelayMs: a failed Job removed sooner would be
 * applied again at once).
 */
export const INSTALL_JOB_TTL_SECONDS = 2 * 60 * 60;
/**
 * Copying WordPress and waiting for the database fit well inside this. Counted by the reconciler
 * from the Job's first pod's start on a node (installJobState), not set as the Job's
 * activeDeadlineSeconds: Kubernetes counts that from the Job's creation, so a pod waiting for its
 * volume or a node on a busy cluster would "fail" without having run.
 */
export const INSTALL_RUN_LIMIT_SECONDS = 600;

/**
 * Written into the document root by sitepod-wp-install as its last step, once WordPress is in the
 * volume and the database (nginx serves no dotfile). The site's pods wait for it (installWaitContainer).
 */
export const INSTALLED_MARKER = ".sitepod-installed";
/** The init container of a WordPress site's pods that holds them while an install is pending. */
export const INSTALL_WAIT_CONTAINER = "wait-for-install";
const INSTALL_PENDING_VOLUME = "install-pending";
const INSTALL_PENDING_DIR = "/run/sitepod/install";

export function installJobName(siteName: string, generation: number): string {
  return `${siteName}-install-${generation}`;
}

export function installSecretName(siteName: string): string {
  return `${siteName}-install`;
}

/**
 * The install's inputs, apart from the database and salts (the site's own Secret): in a Secret of
 * their own so the web pods never carry the admin password in their environment, and so that it
 * goes away (pruned) once WordPress, which keeps only its own hash, is installed.
 */
export function installEnvironment(spec: SiteManifestSpec): Record<string, string> {
  const wp = spec.wordpress;
  if (!wp) return {};
  return {
    WORDPRESS_TITLE: wp.title,
    WORDPRESS_ADMIN_USER: wp.adminUser,
    WORDPRESS_ADMIN_EMAIL: wp.adminEmail,
    ...(wp.adminPassword ? { WORDPRESS_ADMIN_PASSWORD: wp.adminPassword } : {}),
  };
}

/** Whether the spec wants an install Job now: a WordPress site not installed yet, not suspended. */
export function wantsInstall(spec: SiteManifestSpec): boolean {
  return Boolean(spec.wordpress && !spec.wordpress.completed && !spec.suspended);
}

/**
 * A WordPress site's pod may start while WordPress is being installed (sitePodsWanted in site.ts):
 * this init container holds it until the install is done, so nothing ever serves a half-installed
 * site (WordPress's own setup page would let anyone claim it). Done means the install's marker is
 * in the volume; no install pending means the install Secret is gone (a site installed before the
 * marker existed, or one whose install was recorded). The Secret is mounted with one key only, the
 * admin's user name, and optional: the pod never sees the password, and starts without the Secret.
 * It is part of every WordPress site's pods, installed or not, so the install's end changes nothing
 * in the pod template and rolls nothing.
 */
export function installWaitContainer(spec: SiteManifestSpec): V1Container {
  const marker = `${DOCUMENT_ROOT}/${INSTALLED_MARKER}`;
  const pending = `${INSTALL_PENDING_DIR}/pending`;
  return {
    name: INSTALL_WAIT_CONTAINER,
    image: spec.runtimeImage,
    imagePullPolicy: "IfNotPresent",
    command: ["sh", "-c", `until [ -e ${marker} ] || [ ! -e ${pending} ]; do sleep 1; done`],
    volumeMounts: [
      filesMount(true),
      { name: INSTALL_PENDING_VOLUME, mountPath: INSTALL_PENDING_DIR, readOnly: true },
    ],
    // Below the site's own containers: a pod's quota charge is the larger of its init containers
    // and the sum of its containers, so waiting costs the plan nothing.
    resources: {
      requests: { cpu: "10m", memory: "16Mi" },
      limits: { cpu: "100m", memory: "32Mi" },
    },
    securityContext: siteContainerSecurityContext(),
  };
}

/** The volume installWaitContainer reads: the install Secret's admin user name, when the Secret exists. */
export function installPendingVolume(spec: SiteManifestSpec): V1Volume {
  return {
    name: INSTALL_PENDING_VOLUME,
    secret: {
      secretName: installSecretName(spec.name),
      optional: true,
      items: [{ key: "WORDPRESS_ADMIN_USER", path: "pending" }],
    },
  };
}

/**
 * The install pod goes to the node of the site's pod when that one is already placed: the files
 * volume is ReadWriteOnce, and the site's pod waits for the install, so the install must not wait
 * for the volume on another node. The term matches the install pod's own labels, so with no site
 * pod placed (or none wanted yet) it schedules freely.
 */
export function installAffinity(spec: SiteManifestSpec): V1Affinity {
  return {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        {
          labelSelector: {
            matchLabels: { [SITE_LABEL]: spec.siteId },
            matchExpressions: [{ key: COMPONENT_LABEL, operator: "In", values: ["web", "install"] }],
          },
          topologyKey: "kubernetes.io/hostname",
        },
      ],
    },
  };
}

export function buildInstallSecret(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: childMetadata(spec, root, installSecretName(spec.name), "install"),
    type: "Opaque",
    data: secretData(installEnvironment(spec)),
  } satisfies V1Secret & RenderedObject;
  return withSpecHash(secret);
}

export function buildInstallJob(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const names = siteObjectNames(spec.name);
  const generation = spec.wordpress?.generation ?? 1;
  const { php } = spec.resources;
  const job = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: childMetadata(spec, root, installJobName(spec.name, generation), "install"),
    spec: {
      backoffLimit: INSTALL_BACKOFF_LIMIT,
      // A succeeded Job is left to this TTL rather than deleted by the reconciler (one write less
      // per site; its pod holds nothing secret, the install Secret is deleted at once). Long
      // enough for the reconciler to read the outcome; a Job gone before it did is simply
      // applied again, and the install script finds WordPress installed.
      ttlSecondsAfterFinished: INSTALL_JOB_TTL_SECONDS,
      podFailurePolicy: {
        rules: [
          {
            action: "FailJob",
            onExitCodes: {
              containerName: INSTALL_CONTAINER,
              operator: "In",
              values: [INSTALL_EXIT_CONFIG_ERROR],
            },
          },
        ],
      },
      template: {
        metadata: { labels: siteLabels(spec, "install") },
        spec: {
          restartPolicy: "Never",
          serviceAccountName: SITE_SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: sitePodSecurityContext(),
          ...placementPodFields(spec.placement),
          affinity: installAffinity(spec),
          containers: [
            {
              name: INSTALL_CONTAINER,
              image: spec.runtimeImage,
              imagePullPolicy: "IfNotPresent",
              command: [RUNTIME_PATHS.wordpressInstall],
              envFrom: [
                { secretRef: { name: names.env } },
                { secretRef: { name: installSecretName(spec.name) } },
              ],
              volumeMounts: [filesMount(), phpIniMount(), tmpMount(INSTALL_CONTAINER)],
              resources: {
                requests: { cpu: "50m", memory: "64Mi" },
                limits: { cpu: php.cpuLimit, memory: php.memoryLimit },
              },
              securityContext: siteContainerSecurityContext(),
            },
          ],
          volumes: siteVolumes(spec),
        },
      },
    },
  } satisfies V1Job & RenderedObject;
  return withSpecHash(job);
}

/** The install Secret and Job while the spec wants an install; nothing otherwise (they are pruned). */
export function buildInstallObjects(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject[] {
  if (!wantsInstall(spec)) return [];
  return [buildInstallSecret(spec, root), buildInstallJob(spec, root)];
}
