import { type SitePlacement, sitePlacementFromEnv } from "@/lib/k8s/manifests/placement";
import { open } from "@/lib/crypto/secret-box";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import {
  platformHostname,
  sitePlatformLabel,
  sitesBaseDomain,
  sitesUrlPort,
  sitesUrlScheme,
} from "@/lib/k8s/manifests/platform-hostname";
import {
  PHP_FPM_MAX_CHILDREN,
  type SiteManifestSpec,
  type WordpressInstallSpec,
} from "@/lib/k8s/manifests/types";
import { siteContainerResources } from "@/lib/quota/site-footprint";
import { type CatalogEntry, formatOffered } from "@/lib/services/runtime/runtime-catalog";
import { openSiteSecrets, type SiteSecrets } from "@/lib/services/site/site-secrets";
import { parseDomainTlsStatus } from "@/lib/k8s/tls-status";
import { assertDatabaseName, assertUserName } from "@/lib/site-db/identifiers";
import { reservedSiteNameProblem } from "@/lib/validation/reserved-names";
import { SITE_NAME_PATTERN } from "@/lib/validation/site";
import {
  DEFAULT_PHP_SETTINGS,
  envNameProblem,
  type PhpSettings,
  phpSettingsSchema,
  RESOURCE_BOUNDS,
  replicaLimit,
  storedEnvVarsSchema,
} from "@/lib/validation/site-settings";
import {
  AttachedDatabaseError,
  attachedDatabaseEnvOf,
  databaseAttachmentsInclude,
} from "./site-database-env";

/** What the reconciler reads about a site: the spec, its account and its domains. */
export const siteForReconcileInclude = {
  account: {
    select: { id: true, slug: true, status: true, suspendedReason: true, terminationRequestedAt: true },
  },
  domains: {
    select: { id: true, hostname: true, isPrimary: true, redirectToPrimary: true, tlsStatus: true },
  },
  databaseAttachments: databaseAttachmentsInclude,
} satisfies Prisma.SiteInclude;

export type SiteForReconcile = Prisma.SiteGetPayload<{ include: typeof siteForReconcileInclude }>;

/**
 * The site as siteForReconcileInclude reads it, in three statements instead of seven for the
 * usual site, which has no attached database: the attachments (and their databases, users and
 * servers, a statement each) are read only when the site's row counts some. A reconciler makes
 * several passes per site, each starting with this read.
 */
export async function loadSiteForReconcile(
  prisma: Pick<PrismaClient, "site" | "siteDatabaseAttachment">,
  id: string,
): Promise<SiteForReconcile | null> {
  const { databaseAttachments, ...include } = siteForReconcileInclude;
  const row = await prisma.site.findUnique({
    where: { id },
    include: { ...include, _count: { select: { databaseAttachments: true } } },
  });
  if (!row) return null;
  const { _count, ...site } = row;
  const attachments =
    _count.databaseAttachments === 0
      ? []
      : await prisma.siteDatabaseAttachment.findMany({ where: { siteId: id }, ...databaseAttachments });
  return { ...site, databaseAttachments: attachments };
}

/** The spec cannot be turned into objects; retrying the same spec cannot succeed. */
export class InvalidSpecError extends Error {
  override name = "InvalidSpecError";
}

/** Settings that are platform-wide today and may become per-plan later. */
export interface SiteDefaults {
  /** host:port of the database server sites use (one platform-wide server for now). */
  databaseHost: string;
  wordpressVersion: string;
  /** Every site also answers at `<label>.<sitesBaseDomain>` (SITEPOD_SITES_BASE_DOMAIN). */
  sitesBaseDomain: string;
  /** Decrypts and validates Site.secretsCiphertext. */
  openSecrets: (ciphertext: string) => SiteSecrets;
  /** Decrypts one sealed value of Site.envVars. */
  openEnvValue: (ciphertext: string) => string;
  /** The scheme browsers reach sites with; "https" when the gateway terminates TLS. */
  siteUrlScheme: "http" | "https";
  /** The gateway's public port when it is not the scheme's default (a local cluster). */
  sitePublicPort?: number;
  /** Where site pods may run (SITEPOD_SITE_NODE_SELECTOR, SITEPOD_SITE_TOLERATIONS). */
  placement?: SitePlacement;
}

export function siteDefaultsFromEnv(env: Record<string, string | undefined> = process.env): SiteDefaults {
  return {
    databaseHost: env.SITEPOD_SITE_DB_HOST || "127.0.0.1:3306",
    wordpressVersion: env.SITEPOD_WORDPRESS_VERSION || "6.8",
    sitesBaseDomain: sitesBaseDomain(env),
    openSecrets: openSiteSecrets,
    openEnvValue: open,
    siteUrlScheme: sitesUrlScheme(env),
    sitePublicPort: sitesUrlPort(env),
    placement: sitePlacementFromEnv(env),
  };
}

export const ACCOUNT_SLUG = /^[a-z0-9]([-a-z0-9]{0,56}[a-z0-9])?$/;
const PHP_VERSION = /^[0-9]+\.[0-9]+$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

const PLATFORM_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * The image of the site's PHP version. A disabled entry still runs the sites that use it (disabling
 * only stops new sites from choosing it); a version without an entry cannot be rendered.
 */
function runtimeImageOf(phpVersion: string, catalog: readonly CatalogEntry[]): string {
  const entry = catalog.find((e) => e.phpVersion === phpVersion);
  if (!entry) {
    const offered = formatOffered(catalog.filter((e) => e.enabled));
    throw new InvalidSpecError(`PHP ${phpVersion} has no runtime image in the catalog; offered: ${offered}`);
  }
  return entry.image;
}

/**
 * Validates the stored spec and decrypts its secrets into what the manifest builders take.
 * `catalog`: the runtime catalog (loadRuntimeCatalog), read in the same pass.
 */
export function toManifestSpec(
  site: SiteForReconcile,
  defaults: SiteDefaults,
  catalog: readonly CatalogEntry[],
  options: { rollout?: SiteManifestSpec["rollout"] } = {},
): SiteManifestSpec {
  if (!SITE_NAME_PATTERN.test(site.name))
    throw new InvalidSpecError(`Site name "${site.name}" is not a valid DNS label`);
  // A row older than the rule: its objects would take the place of Sitepod's own.
  if (reservedSiteNameProblem(site.name)) {
    throw new InvalidSpecError(`Site name "${site.name}" is reserved for Sitepod's own objects`);
  }
  if (!ACCOUNT_SLUG.test(site.account.slug)) {
    throw new InvalidSpecError(`Account slug "${site.account.slug}" cannot name a namespace`);
  }
  if (!PHP_VERSION.test(site.phpVersion))
    throw new InvalidSpecError(`PHP version "${site.phpVersion}" is invalid`);
  const bad = site.domains.find((d) => !HOSTNAME.test(d.hostname));
  if (bad) throw new InvalidSpecError(`Domain "${bad.hostname}" is not a valid hostname`);
  const label = sitePlatformLabel({ ...site, accountSlug: site.account.slug });
  if (!PLATFORM_LABEL.test(label)) {
    throw new InvalidSpecError(`Platform hostname label "${label}" is not a valid DNS label`);
  }
  const runtimeImage = runtimeImageOf(site.phpVersion, catalog);
  assertResourcesInBounds(site);

  let secrets: SiteSecrets;
  try {
    secrets = defaults.openSecrets(site.secretsCiphertext);
  } catch (err) {
    // A wrong key, tampering or a bad shape: none of them heals by retrying.
    const reason = err instanceof Error ? err.message.slice(0, 200) : String(err);
    throw new InvalidSpecError(`The site's secrets cannot be read: ${reason}`);
  }
  try {
    assertDatabaseName(secrets.database.name);
    assertUserName(secrets.database.user);
  } catch (err) {
    throw new InvalidSpecError(err instanceof Error ? err.message : String(err));
  }

  const sorted = [...site.domains].sort(
    (a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.hostname.localeCompare(b.hostname),
  );
  const domains = sorted.map((d) => d.hostname);
  // The primary never redirects (the first domain, should a row lack a primary).
  const redirectDomains = sorted
    .slice(1)
    .filter((d) => !d.isPrimary && d.redirectToPrimary)
    .map((d) => d.hostname);
  const httpsDomains = sorted
    .filter((d) => {
      const state = parseDomainTlsStatus(d.tlsStatus)?.state;
      return state === "issued" || state === "renewal_due";
    })
    .map((d) => d.hostname);
  return {
    siteId: site.id,
    accountId: site.accountId,
    accountSlug: site.account.slug,
    name: site.name,
    app: site.app,
    phpVersion: site.phpVersion,
    runtimeImage,
    siteUrlScheme: defaults.siteUrlScheme,
    ...(defaults.sitePublicPort ? { sitePublicPort: defaults.sitePublicPort } : {}),
    wordpress: site.app === "WORDPRESS" ? wordpressInstallSpec(site, secrets) : undefined,
    wordpressVersion: defaults.wordpressVersion,
    domains,
    redirectDomains,
    forceHttps: site.forceHttps,
    httpsDomains,
    platformHostname: platformHostname(label, defaults.sitesBaseDomain),
    storageSize: `${site.storageGiB}Gi`,
    resources: siteContainerResources(site),
    replicas: Math.min(site.replicas, replicaLimit(site.app).max),
    rollout: options.rollout ?? "RollingUpdate",
    env: siteEnvVars(site, defaults),
    database: { ...secrets.database, host: defaults.databaseHost },
    salts: secrets.wordpress,
    php: { ...sitePhpSettings(site), maxChildren: PHP_FPM_MAX_CHILDREN },
    suspended: site.account.status === "SUSPENDED",
    ...(defaults.placement && Object.keys(defaults.placement).length > 0
      ? { placement: defaults.placement }
      : {}),
    // Databases helper: databases given to the site, as environment variables.
    attachedDatabaseEnv: attachedDatabaseEnvOfSite(site),
  };
}

function inBounds(value: number, bounds: { min: number; max: number }): boolean {
  return Number.isInteger(value) && value >= bounds.min && value <= bounds.max;
}

/** The stored php.ini settings, checked again: a row written around the service must not reach php.ini. */
function sitePhpSettings(site: SiteForReconcile): PhpSettings {
  if (site.phpSettings === null) return { ...DEFAULT_PHP_SETTINGS };
  const parsed = phpSettingsSchema.safeParse(site.phpSettings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidSpecError(
      `PHP setting ${issue?.path.join(".") ?? ""} is invalid: ${issue?.message ?? ""}`,
    );
  }
  return parsed.data;
}

/** The stored sizes, checked again like the PHP settings. */
function assertResourcesInBounds(site: SiteForReconcile): void {
  for (const [key, bounds] of Object.entries(RESOURCE_BOUNDS)) {
    const value = site[key as keyof typeof RESOURCE_BOUNDS];
    if (!inBounds(value, bounds)) throw new InvalidSpecError(`Resource ${key} = ${value} is out of bounds`);
  }
}

/** The site's own variables, secret values opened; names re-checked against the reserved ones. */
function siteEnvVars(site: SiteForReconcile, defaults: SiteDefaults): Record<string, string> {
  if (site.envVars === null) return {};
  const parsed = storedEnvVarsSchema.safeParse(site.envVars);
  if (!parsed.success) throw new InvalidSpecError("The site's environment variables cannot be read");
  const env: Record<string, string> = {};
  for (const variable of parsed.data) {
    const problem = envNameProblem(variable.name);
    if (problem) throw new InvalidSpecError(`Environment variable ${variable.name}: ${problem}`);
    if (!variable.secret) {
      env[variable.name] = variable.value;
      continue;
    }
    try {
      env[variable.name] = defaults.openEnvValue(variable.sealed);
    } catch (err) {
      const reason = err instanceof Error ? err.message.slice(0, 200) : String(err);
      throw new InvalidSpecError(`The secret value of ${variable.name} cannot be read: ${reason}`);
    }
  }
  return env;
}

/**
 * A site created before admins were recorded has none: its install runs with "admin" and no
 * password, which succeeds only when WordPress is already installed in its database, and otherwise
 * fails saying so.
 */
function wordpressInstallSpec(site: SiteForReconcile, secrets: SiteSecrets): WordpressInstallSpec {
  const admin = secrets.wordpressAdmin;
  return {
    generation: site.installGeneration,
    completed: site.installedAt !== null,
    title: site.title || site.name,
    adminUser: admin?.user ?? "admin",
    adminEmail: admin?.email ?? "",
    ...(admin?.password ? { adminPassword: admin.password } : {}),
  };
}

/** Databases helper: the environment of the databases given to the site (site-database-env.ts). */
function attachedDatabaseEnvOfSite(site: SiteForReconcile): Record<string, string> {
  try {
    return attachedDatabaseEnvOf(site.databaseAttachments);
  } catch (err) {
    if (err instanceof AttachedDatabaseError) throw new InvalidSpecError(err.message);
    throw err;
  }
}
