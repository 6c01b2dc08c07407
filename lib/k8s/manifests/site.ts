import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1PersistentVolumeClaim,
  V1Secret,
  V1Service,
} from "@kubernetes/client-node";
import { placementPodFields } from "@/lib/k8s/manifests/placement";
import {
  HEALTH_PATH,
  NGINX_PORT,
  PHP_FPM_PORT,
  READY_PATH,
  RUNTIME_PATHS,
  renderFpmPool,
  renderNginxVhost,
  renderPhpIni,
} from "./config-files";
import { contentHash, withSpecHash } from "./hash";
import { buildInstallObjects, installPendingVolume, installWaitContainer } from "./install-job";
import {
  accountNamespace,
  CONFIG_CHECKSUM_ANNOTATION,
  SITE_SERVICE_ACCOUNT,
  siteLabels,
  siteObjectNames,
  siteSelectorLabels,
} from "./labels";
import type { RenderedObject } from "./objects";
import { buildSiteRoutes } from "./route";
import {
  childMetadata,
  filesMount,
  phpIniMount,
  SITE_VOLUME,
  type SiteRootRef,
  secretData,
  siteContainerSecurityContext,
  sitePodSecurityContext,
  siteVolumes,
  tmpMount,
} from "./site-pod";
import { type ClusterSettings, type SiteManifestSpec, siteHostnames } from "./types";
import { buildWpCronJob } from "./wp-cron";

export type { SiteRootRef } from "./site-pod";

const ENV_CHECKSUM_ANNOTATION = "sitepod.io/env-checksum";

/**
 * The per-site object every other per-site object points to with an ownerReference: deleting it
 * lets Kubernetes' garbage collector remove the whole site.
 */
export function buildSiteRoot(spec: SiteManifestSpec): RenderedObject {
  const root = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: siteObjectNames(spec.name).root,
      namespace: accountNamespace(spec.accountSlug),
      labels: siteLabels(spec, "root"),
      annotations: {},
    },
    data: { siteId: spec.siteId, accountId: spec.accountId, name: spec.name },
  } satisfies V1ConfigMap & RenderedObject;
  return withSpecHash(root);
}

/**
 * The URL the site is installed for and that runs without a request (install, cron): the primary
 * domain, else the platform hostname. Requests on any other hostname of the site get that one
 * (wp-config.php builds WP_HOME from the request's Host when it is one of SITEPOD_SITE_HOSTS).
 */
export function primarySiteUrl(spec: SiteManifestSpec): string {
  const host = spec.domains[0] ?? spec.platformHostname;
  const port = spec.sitePublicPort ? `:${spec.sitePublicPort}` : "";
  return `${spec.siteUrlScheme}://${host}${port}`;
}

/**
 * The environment every container of the site gets from its Secret: the site's own variables
 * (its settings), the database, the site's URL and hostnames, and for WordPress its keys and
 * salts (wp-config.php reads them all with getenv(), so a changed Secret takes effect when the
 * pods restart, which its checksum forces).
 */
export function siteEnvironment(spec: SiteManifestSpec): Record<string, string> {
  // Databases helper: the credentials of the databases given to the site, after its own variables.
  return { ...ownSiteEnvironment(spec), ...spec.attachedDatabaseEnv };
}

function ownSiteEnvironment(spec: SiteManifestSpec): Record<string, string> {
  const db = spec.database;
  const site = { SITEPOD_SITE_URL: primarySiteUrl(spec), SITEPOD_SITE_HOSTS: siteHostnames(spec).join(",") };
  if (spec.app === "WORDPRESS") {
    const env: Record<string, string> = {
      WORDPRESS_DB_HOST: db.host,
      WORDPRESS_DB_NAME: db.name,
      WORDPRESS_DB_USER: db.user,
      WORDPRESS_DB_PASSWORD: db.password,
      ...site,
    };
    for (const [key, value] of Object.entries(spec.salts)) env[`WORDPRESS_${key}`] = value;
    return { ...spec.env, ...env };
  }
  // The site's own variables first: a reserved name (refused by the settings' validation) can
  // never shadow what Sitepod sets.
  return {
    ...spec.env,
    DB_HOST: db.host,
    DB_NAME: db.name,
    DB_USER: db.user,
    DB_PASSWORD: db.password,
    ...site,
  };
}

export function buildSiteSecret(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const data = secretData(siteEnvironment(spec));
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: childMetadata(spec, root, siteObjectNames(spec.name).env, "env"),
    type: "Opaque",
    // `data`, not `stringData`: stringData is write-only, and applying it makes field ownership murky.
    data,
  } satisfies V1Secret & RenderedObject;
  return withSpecHash(secret);
}

export function siteConfigData(spec: SiteManifestSpec): Record<string, string> {
  return {
    "nginx-vhost.conf": renderNginxVhost(spec),
    "php.ini": renderPhpIni(spec),
    "php-fpm-pool.conf": renderFpmPool(spec),
  };
}

export function buildSiteConfigMap(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const cm = {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: childMetadata(spec, root, siteObjectNames(spec.name).config, "config"),
    data: siteConfigData(spec),
  } satisfies V1ConfigMap & RenderedObject;
  return withSpecHash(cm);
}

export function buildSitePvc(
  spec: SiteManifestSpec,
  settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject {
  const pvc = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: childMetadata(spec, root, siteObjectNames(spec.name).files, "files"),
    spec: {
      accessModes: ["ReadWriteOnce"],
      resources: { requests: { storage: spec.storageSize } },
      ...(settings.storageClassName ? { storageClassName: settings.storageClassName } : {}),
    },
  } satisfies V1PersistentVolumeClaim & RenderedObject;
  return withSpecHash(pvc);
}

/** Replicas the site runs: none while suspended. */
export function siteReplicas(spec: SiteManifestSpec): number {
  if (spec.suspended) return 0;
  return spec.replicas;
}

/** Whether the site's app is installed: WordPress into its volume and database; other apps always. */
export function siteInstalled(spec: SiteManifestSpec): boolean {
  return !spec.wordpress || spec.wordpress.completed;
}

/**
 * Whether the site's pods exist yet. A WordPress site's pod starts while WordPress is being
 * installed when the plan has room for it and the install pod at once (the room a rolling update
 * needs, and the install pod is no bigger than a site pod): its image, volume and start overlap
 * the install instead of following it, and its init container (installWaitContainer) holds it
 * until the install is done, so nothing serves a half-installed site. Without that room the
 * quota would refuse one of the two pods, so the Deployment is created once WordPress is installed.
 */
export function sitePodsWanted(spec: SiteManifestSpec): boolean {
  return siteInstalled(spec) || spec.rollout === "RollingUpdate";
}

/**
 * RollingUpdate starts the new pod and stops the old one only once the new one is Ready: no
 * outage on a config change. The files volume is ReadWriteOnce, which binds it to one node, not
 * to one pod: the required affinity keeps the new pod on the node of the site's running pod (a
 * pod whose own labels match the term may go anywhere when no such pod runs, so the first pod
 * schedules freely). Recreate when the plan has no room for the extra pod: the quota would refuse
 * it and the rollout would never finish.
 */
export function siteDeploymentStrategy(spec: SiteManifestSpec) {
  if (spec.rollout === "Recreate") return { type: "Recreate" };
  return { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
}

function siteVolumeAffinity(spec: SiteManifestSpec) {
  if (spec.rollout === "Recreate") return undefined;
  return {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: siteSelectorLabels(spec) }, topologyKey: "kubernetes.io/hostname" },
      ],
    },
  };
}

/**
 * nginx and php-fpm from the same runtime image, as www-data, with a read-only root filesystem.
 * The pod is Ready only when a request through nginx reaches php-fpm (READY_PATH); liveness asks
 * nginx alone, so a slow PHP is taken out of rotation, not restarted.
 */
export function buildSiteDeployment(
  spec: SiteManifestSpec,
  _settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject {
  const names = siteObjectNames(spec.name);
  const { php, nginx } = spec.resources;
  const phpContainer: V1Container = {
    name: "php",
    image: spec.runtimeImage,
    imagePullPolicy: "IfNotPresent",
    command: ["php-fpm", "-F", "-y", RUNTIME_PATHS.fpmConfig],
    envFrom: [{ secretRef: { name: names.env } }],
    ports: [{ name: "fastcgi", containerPort: PHP_FPM_PORT, protocol: "TCP" }],
    volumeMounts: [
      filesMount(),
      phpIniMount(),
      {
        name: SITE_VOLUME.config,
        mountPath: RUNTIME_PATHS.fpmPool,
        subPath: "php-fpm-pool.conf",
        readOnly: true,
      },
      tmpMount("php"),
    ],
    resources: {
      requests: { cpu: php.cpuRequest, memory: php.memoryRequest },
      limits: { cpu: php.cpuLimit, memory: php.memoryLimit },
    },
    // php-fpm listens on the pod's loopback only: the kubelet checks it through nginx, as a visitor would.
    livenessProbe: {
      httpGet: { path: READY_PATH, port: NGINX_PORT },
      initialDelaySeconds: 30,
      periodSeconds: 20,
      timeoutSeconds: 5,
      failureThreshold: 3,
    },
    securityContext: siteContainerSecurityContext(),
  };
  const nginxContainer: V1Container = {
    name: "nginx",
    image: spec.runtimeImage,
    imagePullPolicy: "IfNotPresent",
    // The image's nginx.conf already keeps nginx in the foreground (daemon off).
    command: ["nginx"],
    ports: [{ name: "http", containerPort: NGINX_PORT, protocol: "TCP" }],
    volumeMounts: [
      filesMount(true),
      {
        name: SITE_VOLUME.config,
        mountPath: RUNTIME_PATHS.nginxSite,
        subPath: "nginx-vhost.conf",
        readOnly: true,
      },
      tmpMount("nginx"),
    ],
    resources: {
      requests: { cpu: nginx.cpuRequest, memory: nginx.memoryRequest },
      limits: { cpu: nginx.cpuLimit, memory: nginx.memoryLimit },
    },
    readinessProbe: {
      httpGet: { path: READY_PATH, port: "http" },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    },
    livenessProbe: {
      httpGet: { path: HEALTH_PATH, port: "http" },
      initialDelaySeconds: 10,
      periodSeconds: 20,
    },
    securityContext: siteContainerSecurityContext(),
  };
  const affinity = siteVolumeAffinity(spec);
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: childMetadata(spec, root, names.deployment, "web"),
    spec: {
      replicas: siteReplicas(spec),
      revisionHistoryLimit: 3,
      strategy: siteDeploymentStrategy(spec),
      selector: { matchLabels: siteSelectorLabels(spec) },
      template: {
        metadata: {
          labels: siteLabels(spec, "web"),
          annotations: {
            // Mounted config and env are read at start only: a change must roll the pods.
            [CONFIG_CHECKSUM_ANNOTATION]: contentHash(siteConfigData(spec)),
            [ENV_CHECKSUM_ANNOTATION]: contentHash(siteEnvironment(spec)),
          },
        },
        spec: {
          serviceAccountName: SITE_SERVICE_ACCOUNT,
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: sitePodSecurityContext(),
          ...placementPodFields(spec.placement),
          ...(affinity ? { affinity } : {}),
          ...(spec.wordpress ? { initContainers: [installWaitContainer(spec)] } : {}),
          containers: [nginxContainer, phpContainer],
          volumes: [...siteVolumes(spec), ...(spec.wordpress ? [installPendingVolume(spec)] : [])],
        },
      },
    },
  } satisfies V1Deployment & RenderedObject;
  return withSpecHash(deployment);
}

export function buildSiteService(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const service = {
    apiVersion: "v1",
    kind: "Service",
    metadata: childMetadata(spec, root, siteObjectNames(spec.name).service, "web"),
    spec: {
      type: "ClusterIP",
      selector: siteSelectorLabels(spec),
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  } satisfies V1Service & RenderedObject;
  return withSpecHash(service);
}

/** Every per-site object except the root, in the order they are applied (dependencies first). */
export function buildSiteChildren(
  spec: SiteManifestSpec,
  settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject[] {
  return [
    buildSiteSecret(spec, root),
    buildSiteConfigMap(spec, root),
    buildSitePvc(spec, settings, root),
    ...(sitePodsWanted(spec) ? [buildSiteDeployment(spec, settings, root)] : []),
    buildSiteService(spec, root),
    ...buildSiteRoutes(spec, settings, root),
    ...buildWordpressObjects(spec, root),
  ];
}

/** WordPress's cron once it is installed, and its install while it is not: none for other apps. */
function buildWordpressObjects(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject[] {
  const cron = siteInstalled(spec) ? buildWpCronJob(spec, root) : undefined;
  return [...(cron ? [cron] : []), ...buildInstallObjects(spec, root)];
}
