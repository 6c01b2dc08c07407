import type { Prisma } from "@/lib/generated/prisma/client";
import {
  platformHostname,
  sitePlatformLabel,
  sitesBaseDomain,
  sitesUrlPort,
  sitesUrlScheme,
} from "@/lib/k8s/manifests/platform-hostname";
import {
  DEFAULT_PHP,
  DEFAULT_RESOURCES,
  type SiteManifestSpec,
  type WordpressInstallSpec,
} from "@/lib/k8s/manifests/types";
import { type CatalogEntry, formatOffered } from "@/lib/services/runtime/runtime-catalog";
import { openSiteSecrets, type SiteSecrets } from "@/lib/services/site/site-secrets";
import { assertDatabaseName, assertUserName } from "@/lib/site-db/identifiers";
import { reservedSiteNameProblem } from "@/lib/validation/reserved-names";
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
  domains: { select: { hostname: true, isPrimary: true } },
  databaseAttachments: databaseAttachmentsInclude,
} satisfies Prisma.SiteInclude;

export type SiteForReconcile = Prisma.SiteGetPayload<{ include: typeof siteForReconcileInclude }>;

/** The spec cannot be turned into objects; retrying the same spec cannot succeed. */
export class InvalidSpecError extends Error {
  override name = "InvalidSpecError";
}

/** Settings that are platform-wide today and may become per-plan later. */
export interface SiteDefaults {
  /** host:port of the database server sites use (one platform-wide server for now). */
  databaseHost: string;
  storageSize: string;
  wordpressVersion: string;
  /** Every site also answers at `<label>.<sitesBaseDomain>` (SITEPOD_SITES_BASE_DOMAIN). */
  sitesBaseDomain: string;
  /** Decrypts and validates Site.secretsCiphertext. */
  openSecrets: (ciphertext: string) => SiteSecrets;
  /** The scheme browsers reach sites with; "https" when the gateway terminates TLS. */
  siteUrlScheme: "http" | "https";
  /** The gateway's public port when it is not the scheme's default (a local cluster). */
  sitePublicPort?: number;
}

export function siteDefaultsFromEnv(env: Record<string, string | undefined> = process.env): SiteDefaults {
  return {
    databaseHost: env.SITEPOD_SITE_DB_HOST || "127.0.0.1:3306",
    storageSize: env.SITEPOD_SITE_STORAGE || "5Gi",
    wordpressVersion: env.SITEPOD_WORDPRESS_VERSION || "6.8",
    sitesBaseDomain: sitesBaseDomain(env),
    openSecrets: openSiteSecrets,
    siteUrlScheme: sitesUrlScheme(env),
    sitePublicPort: sitesUrlPort(env),
  };
}

// Services and Deployments need RFC 1035 labels (leading letter); `-root`/`-files` must still fit 63.
const SITE_NAME = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;
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
): SiteManifestSpec {
  if (!SITE_NAME.test(site.name))
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

  const domains = [...site.domains]
    .sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary) || a.hostname.localeCompare(b.hostname))
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
    platformHostname: platformHostname(label, defaults.sitesBaseDomain),
    storageSize: defaults.storageSize,
    resources: DEFAULT_RESOURCES,
    database: { ...secrets.database, host: defaults.databaseHost },
    salts: secrets.wordpress,
    php: DEFAULT_PHP,
    suspended: site.account.status === "SUSPENDED",
    // Databases helper: databases given to the site, as environment variables.
    attachedDatabaseEnv: attachedDatabaseEnvOfSite(site),
  };
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
