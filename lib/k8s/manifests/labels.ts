/** Label and annotation keys shared by the manifest builders, the informers and the reconciler. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const MANAGED_BY_VALUE = "sitepod";
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
export const NAME_LABEL = "app.kubernetes.io/name";
export const INSTANCE_LABEL = "app.kubernetes.io/instance";
export const COMPONENT_LABEL = "app.kubernetes.io/component";
export const ACCOUNT_LABEL = "sitepod.io/account";
export const SITE_LABEL = "sitepod.io/site";
/** On a user cron job's CronJob, its Jobs and their pods: the CronJob row's id. */
export const CRON_JOB_LABEL = "sitepod.io/cron-job";
export const SPEC_HASH_ANNOTATION = "sitepod.io/spec-hash";
export const CONFIG_CHECKSUM_ANNOTATION = "sitepod.io/config-checksum";
export const SITE_SERVICE_ACCOUNT = "sitepod-site";
export const FIELD_MANAGER = "sitepod";

export const DEFAULT_NAMESPACE_PREFIX = "sp-";
/** Account slugs are at most 40 characters; with the prefix the name stays a 63-character label. */
const NAMESPACE_PREFIX = /^[a-z][a-z0-9]*(-[a-z0-9]+)*-$/;
const NAMESPACE_PREFIX_MAX_LENGTH = 20;

/**
 * What every tenant namespace's name starts with: SITEPOD_NAMESPACE_PREFIX, default `sp-`. Two
 * Sitepod installations sharing one cluster need different prefixes (each refuses namespaces the
 * other's accounts hold).
 */
export function namespacePrefix(env: Record<string, string | undefined> = process.env): string {
  const prefix = env.SITEPOD_NAMESPACE_PREFIX?.trim() || DEFAULT_NAMESPACE_PREFIX;
  if (prefix.length > NAMESPACE_PREFIX_MAX_LENGTH || !NAMESPACE_PREFIX.test(prefix)) {
    throw new Error(
      `SITEPOD_NAMESPACE_PREFIX "${prefix}" is not valid: use at most ${NAMESPACE_PREFIX_MAX_LENGTH} lower-case letters, digits and dashes, starting with a letter and ending with a dash (e.g. "sp-").`,
    );
  }
  return prefix;
}

/** A customer account (tenant) maps to one namespace per cluster: `<prefix><slug>`. */
export function accountNamespace(accountSlug: string): string {
  return `${namespacePrefix()}${accountSlug}`;
}

export function accountLabels(accountId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ACCOUNT_LABEL]: accountId };
}

export interface SiteIdentity {
  siteId: string;
  accountId: string;
  name: string;
}

export function siteLabels(site: SiteIdentity, component?: string): Record<string, string> {
  return {
    ...accountLabels(site.accountId),
    [SITE_LABEL]: site.siteId,
    [NAME_LABEL]: "sitepod-site",
    [INSTANCE_LABEL]: site.name,
    ...(component ? { [COMPONENT_LABEL]: component } : {}),
  };
}

/** The Deployment's selector: immutable once created, so it holds only labels that never change. */
export function siteSelectorLabels(site: SiteIdentity): Record<string, string> {
  return { [SITE_LABEL]: site.siteId, [COMPONENT_LABEL]: "web" };
}

export const siteObjectNames = (name: string) => ({
  root: `${name}-root`,
  env: `${name}-env`,
  config: `${name}-config`,
  files: `${name}-files`,
  deployment: name,
  service: name,
  /** The HTTPRoute or the Ingress, whichever the routing mode renders. */
  route: name,
  ingress: name,
});
