/**
 * A site's settings as stored on its row (lib/validation/site-settings.ts has the rules): what the
 * browser may see of them and what changed between two versions. Secret values are sealed
 * (lib/services/site/merge-env-vars.ts) and never leave the server once saved. No crypto here:
 * lib/views.ts, which client components import, uses this module.
 */
import { log } from "@/lib/log";
import { type SiteFootprint, siteFootprint } from "@/lib/quota/site-footprint";
import {
  DEFAULT_PHP_SETTINGS,
  type PhpSettings,
  phpSettingsSchema,
  replicaLimit,
  type SiteResourceSettings,
  type StoredEnvVar,
  storedEnvVarsSchema,
} from "@/lib/validation/site-settings";

/** One variable as the browser sees it: a secret shows its name, never its value. */
export type EnvVarView = { name: string; secret: false; value: string } | { name: string; secret: true };

export interface SiteSettingsView {
  php: PhpSettings;
  env: EnvVarView[];
  resources: SiteResourceSettings;
  /** What the site counts against the plan (siteFootprint). */
  footprint: SiteFootprint;
  /** Why the site runs only this many pods. */
  replicaLimit: { max: number; reason: string };
}

export interface SiteSettingsRow {
  id: string;
  app: "WORDPRESS" | "PHP";
  cpuMillicores: number;
  memoryMiB: number;
  storageGiB: number;
  replicas: number;
  phpSettings: unknown;
  envVars: unknown;
}

export function storedPhpSettings(row: SiteSettingsRow): PhpSettings {
  if (row.phpSettings === null || row.phpSettings === undefined) return { ...DEFAULT_PHP_SETTINGS };
  const parsed = phpSettingsSchema.safeParse(row.phpSettings);
  if (parsed.success) return parsed.data;
  log.warn("malformed php settings", { siteId: row.id, issues: parsed.error.issues.length });
  return { ...DEFAULT_PHP_SETTINGS };
}

export function storedEnvVars(row: SiteSettingsRow): StoredEnvVar[] {
  if (row.envVars === null || row.envVars === undefined) return [];
  const parsed = storedEnvVarsSchema.safeParse(row.envVars);
  if (parsed.success) return parsed.data;
  log.warn("malformed environment variables", { siteId: row.id, issues: parsed.error.issues.length });
  return [];
}

export function toEnvVarViews(vars: readonly StoredEnvVar[]): EnvVarView[] {
  return vars.map((v) =>
    v.secret ? { name: v.name, secret: true } : { name: v.name, secret: false, value: v.value },
  );
}

export function siteResources(row: SiteSettingsRow): SiteResourceSettings {
  return {
    cpuMillicores: row.cpuMillicores,
    memoryMiB: row.memoryMiB,
    storageGiB: row.storageGiB,
    replicas: row.replicas,
  };
}

export function toSiteSettingsView(row: SiteSettingsRow): SiteSettingsView {
  const resources = siteResources(row);
  return {
    php: storedPhpSettings(row),
    env: toEnvVarViews(storedEnvVars(row)),
    resources,
    footprint: siteFootprint(resources),
    replicaLimit: replicaLimit(row.app),
  };
}

/** What changed, for the change log: names only for variables, never a value. */
export function settingsChangeSummary(
  before: {
    phpVersion: string;
    php: PhpSettings;
    env: readonly StoredEnvVar[];
    resources: SiteResourceSettings;
  },
  after: {
    phpVersion: string;
    php: PhpSettings;
    env: readonly StoredEnvVar[];
    resources: SiteResourceSettings;
  },
): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  if (before.phpVersion !== after.phpVersion)
    summary.phpVersion = { from: before.phpVersion, to: after.phpVersion };
  const php: Record<string, unknown> = {};
  for (const key of Object.keys(after.php) as (keyof PhpSettings)[]) {
    if (before.php[key] !== after.php[key]) php[key] = { from: before.php[key], to: after.php[key] };
  }
  if (Object.keys(php).length > 0) summary.php = php;
  const resources: Record<string, unknown> = {};
  for (const key of Object.keys(after.resources) as (keyof SiteResourceSettings)[]) {
    if (before.resources[key] !== after.resources[key]) {
      resources[key] = { from: before.resources[key], to: after.resources[key] };
    }
  }
  if (Object.keys(resources).length > 0) summary.resources = resources;
  const beforeByName = new Map(before.env.map((v) => [v.name, v]));
  const afterNames = new Set(after.env.map((v) => v.name));
  const added = after.env.filter((v) => !beforeByName.has(v.name)).map((v) => v.name);
  const removed = before.env.filter((v) => !afterNames.has(v.name)).map((v) => v.name);
  const changed = after.env
    .filter((v) => {
      const old = beforeByName.get(v.name);
      if (!old) return false;
      if (old.secret !== v.secret) return true;
      // A secret sealed anew was given a value: count it as changed, without comparing values.
      return v.secret ? old.secret && old.sealed !== v.sealed : !old.secret && old.value !== v.value;
    })
    .map((v) => v.name);
  if (added.length + removed.length + changed.length > 0) summary.env = { added, removed, changed };
  return summary;
}
