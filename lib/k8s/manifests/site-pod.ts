/**
 * What every pod of a site shares, whether the Deployment's, the install Job's or WordPress
 * cron's: the runtime image run as www-data with a read-only root filesystem, the site's volume,
 * its config and a scratch /tmp, and the owner reference to the site's root.
 */
import type {
  V1OwnerReference,
  V1PodSecurityContext,
  V1SecurityContext,
  V1Volume,
  V1VolumeMount,
} from "@kubernetes/client-node";
import { DOCUMENT_ROOT, RUNTIME_PATHS } from "./config-files";
import { accountNamespace, MANAGED_BY_LABEL, siteLabels, siteObjectNames } from "./labels";
import type { SiteManifestSpec } from "./types";

/** UID of the site's root object, known once it exists in the cluster. */
export interface SiteRootRef {
  uid: string;
}

/** www-data in Debian, and the user nginx and php-fpm run as in Sitepod's runtime image. */
export const WWW_DATA_UID = 33;

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

/**
 * Labels for objects Kubernetes makes on Sitepod's behalf that Sitepod need not watch (the Jobs
 * and pods of WordPress cron, one every few minutes): the site's labels (network policies select
 * site pods by them) without managed-by, which the informers select on.
 */
export function unwatchedSiteLabels(spec: SiteManifestSpec, component: string): Record<string, string> {
  const { [MANAGED_BY_LABEL]: _managed, ...rest } = siteLabels(spec, component);
  return rest;
}

/**
 * A Secret's `data` (not `stringData`: stringData is write-only, and applying it makes field
 * ownership murky).
 */
export function secretData(env: Record<string, string>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) data[key] = Buffer.from(value, "utf8").toString("base64");
  return data;
}

/** What Pod Security `restricted` demands of a pod, with www-data owning the volume. */
export function sitePodSecurityContext(): V1PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: WWW_DATA_UID,
    runAsGroup: WWW_DATA_UID,
    fsGroup: WWW_DATA_UID,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** What Pod Security `restricted` demands of every container, and a read-only root filesystem. */
export function siteContainerSecurityContext(): V1SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    runAsNonRoot: true,
    runAsUser: WWW_DATA_UID,
    runAsGroup: WWW_DATA_UID,
    readOnlyRootFilesystem: true,
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export const SITE_VOLUME = { files: "files", config: "config", tmp: "tmp" } as const;

/** The site's files, its ConfigMap and /tmp: the only writable places besides the volume. */
export function siteVolumes(spec: SiteManifestSpec): V1Volume[] {
  const names = siteObjectNames(spec.name);
  return [
    { name: SITE_VOLUME.files, persistentVolumeClaim: { claimName: names.files } },
    { name: SITE_VOLUME.config, configMap: { name: names.config } },
    { name: SITE_VOLUME.tmp, emptyDir: { sizeLimit: "256Mi" } },
  ];
}

export function filesMount(readOnly = false): V1VolumeMount {
  return { name: SITE_VOLUME.files, mountPath: DOCUMENT_ROOT, ...(readOnly ? { readOnly: true } : {}) };
}

/** Each container gets its own directory of the pod's /tmp volume. */
export function tmpMount(container: string): V1VolumeMount {
  return { name: SITE_VOLUME.tmp, mountPath: "/tmp", subPath: container };
}

/** The site's php.ini, read by php-fpm and the php CLI alike. */
export function phpIniMount(): V1VolumeMount {
  return { name: SITE_VOLUME.config, mountPath: RUNTIME_PATHS.phpIni, subPath: "php.ini", readOnly: true };
}
