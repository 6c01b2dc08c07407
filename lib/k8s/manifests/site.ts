import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1OwnerReference,
  V1PersistentVolumeClaim,
  V1Secret,
  V1Service,
} from "@kubernetes/client-node";
import {
  DOCUMENT_ROOT,
  NGINX_PORT,
  PHP_FPM_PORT,
  renderFpmPool,
  renderNginxVhost,
  renderPhpIni,
} from "./config-files";
import { contentHash, withSpecHash } from "./hash";
import {
  accountNamespace,
  CONFIG_CHECKSUM_ANNOTATION,
  SITE_SERVICE_ACCOUNT,
  siteLabels,
  siteObjectNames,
  siteSelectorLabels,
} from "./labels";
import type { RenderedObject } from "./objects";
import { buildSiteRoute } from "./route";
import type { ClusterSettings, SiteManifestSpec } from "./types";

/** UID of the site's root object, known once it exists in the cluster. */
export interface SiteRootRef {
  uid: string;
}

const ENV_CHECKSUM_ANNOTATION = "sitepod.io/env-checksum";
/** www-data in the official php and wordpress images, so files written by PHP keep working. */
const PHP_UID = 33;
/** The nginx-unprivileged image's user. */
const NGINX_UID = 101;

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

function ownerReference(spec: SiteManifestSpec, root: SiteRootRef): V1OwnerReference {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    name: siteObjectNames(spec.name).root,
    uid: root.uid,
    // Not a controller: the root only anchors garbage collection, it does not manage the children.
    controller: false,
    blockOwnerDeletion: true,
  };
}

export function childMetadata(spec: SiteManifestSpec, root: SiteRootRef, name: string, component: string) {
  return {
    name,
    namespace: accountNamespace(spec.accountSlug),
    labels: siteLabels(spec, component),
    annotations: {} as Record<string, string>,
    ownerReferences: [ownerReference(spec, root)],
  };
}

function base64(value: string): string {
  return Buffer.from(value, "utf8").toString("base64");
}

/** The environment the app container reads; the WordPress image consumes WORDPRESS_* directly. */
function siteEnvironment(spec: SiteManifestSpec): Record<string, string> {
  const db = spec.database;
  if (spec.app === "WORDPRESS") {
    const env: Record<string, string> = {
      WORDPRESS_DB_HOST: db.host,
      WORDPRESS_DB_NAME: db.name,
      WORDPRESS_DB_USER: db.user,
      WORDPRESS_DB_PASSWORD: db.password,
    };
    for (const [key, value] of Object.entries(spec.salts)) env[`WORDPRESS_${key}`] = value;
    return env;
  }
  return { DB_HOST: db.host, DB_NAME: db.name, DB_USER: db.user, DB_PASSWORD: db.password };
}

export function buildSiteSecret(spec: SiteManifestSpec, root: SiteRootRef): RenderedObject {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(siteEnvironment(spec))) data[key] = base64(value);
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

export function appImage(spec: SiteManifestSpec): string {
  return spec.app === "WORDPRESS"
    ? `wordpress:${spec.wordpressVersion}-php${spec.phpVersion}-fpm`
    : `php:${spec.phpVersion}-fpm`;
}

/** What Pod Security `restricted` demands of every container. */
const restrictedContainer = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  runAsNonRoot: true,
  seccompProfile: { type: "RuntimeDefault" },
};

export function buildSiteDeployment(
  spec: SiteManifestSpec,
  settings: ClusterSettings,
  root: SiteRootRef,
): RenderedObject {
  const names = siteObjectNames(spec.name);
  const { php, nginx } = spec.resources;
  const phpContainer: V1Container = {
    name: "php",
    image: appImage(spec),
    envFrom: [{ secretRef: { name: names.env } }],
    ports: [{ name: "fastcgi", containerPort: PHP_FPM_PORT, protocol: "TCP" }],
    volumeMounts: [
      { name: "files", mountPath: DOCUMENT_ROOT },
      {
        name: "config",
        mountPath: "/usr/local/etc/php/conf.d/zz-sitepod.ini",
        subPath: "php.ini",
        readOnly: true,
      },
      {
        name: "config",
        mountPath: "/usr/local/etc/php-fpm.d/zz-sitepod.conf",
        subPath: "php-fpm-pool.conf",
        readOnly: true,
      },
      { name: "tmp", mountPath: "/tmp", subPath: "php" },
    ],
    resources: {
      requests: { cpu: php.cpuRequest, memory: php.memoryRequest },
      limits: { cpu: php.cpuLimit, memory: php.memoryLimit },
    },
    readinessProbe: { tcpSocket: { port: PHP_FPM_PORT }, periodSeconds: 10, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: PHP_FPM_PORT }, initialDelaySeconds: 30, periodSeconds: 20 },
    // The image's entrypoint copies WordPress into the (initially empty) volume, so the root
    // filesystem stays writable for it; nginx below gets a read-only one.
    securityContext: { ...restrictedContainer, runAsUser: PHP_UID, runAsGroup: PHP_UID },
  };
  const nginxContainer: V1Container = {
    name: "nginx",
    image: settings.nginxImage ?? spec.runtimeImage,
    ports: [{ name: "http", containerPort: NGINX_PORT, protocol: "TCP" }],
    volumeMounts: [
      { name: "files", mountPath: DOCUMENT_ROOT, readOnly: true },
      {
        name: "config",
        mountPath: "/etc/nginx/conf.d/default.conf",
        subPath: "nginx-vhost.conf",
        readOnly: true,
      },
      { name: "tmp", mountPath: "/tmp", subPath: "nginx" },
    ],
    resources: {
      requests: { cpu: nginx.cpuRequest, memory: nginx.memoryRequest },
      limits: { cpu: nginx.cpuLimit, memory: nginx.memoryLimit },
    },
    readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: {
      httpGet: { path: "/healthz", port: "http" },
      initialDelaySeconds: 10,
      periodSeconds: 20,
    },
    securityContext: {
      ...restrictedContainer,
      runAsUser: NGINX_UID,
      runAsGroup: NGINX_UID,
      readOnlyRootFilesystem: true,
    },
  };
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: childMetadata(spec, root, names.deployment, "web"),
    spec: {
      replicas: spec.suspended ? 0 : 1,
      revisionHistoryLimit: 3,
      // The files volume is ReadWriteOnce: old and new pods cannot run side by side on two nodes.
      strategy: { type: "Recreate" },
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
          securityContext: {
            runAsNonRoot: true,
            runAsUser: PHP_UID,
            runAsGroup: PHP_UID,
            fsGroup: PHP_UID,
            fsGroupChangePolicy: "OnRootMismatch",
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [nginxContainer, phpContainer],
          volumes: [
            { name: "files", persistentVolumeClaim: { claimName: names.files } },
            { name: "config", configMap: { name: names.config } },
            { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
          ],
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
    buildSiteDeployment(spec, settings, root),
    buildSiteService(spec, root),
    buildSiteRoute(spec, settings, root),
  ];
}
