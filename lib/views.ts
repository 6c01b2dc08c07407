/**
 * What the server layer hands to pages, server actions and the REST API: plain serialisable
 * objects, never Prisma rows (which carry secrets such as Site.secretsCiphertext).
 */
import { z } from "zod";
import type { Account, Domain, Prisma, Role, Site, SiteApp, SitePhase } from "@/lib/generated/prisma/client";
import type { AccountKind, AccountStatus } from "@/lib/generated/prisma/enums";
import {
  platformHostname,
  platformUrl,
  sitePlatformLabel,
  sitesBaseDomain,
} from "@/lib/k8s/manifests/platform-hostname";
import { log } from "@/lib/log";
import { type SiteSettingsView, toSiteSettingsView } from "@/lib/services/site/site-settings";

/** DomainsRouted: present (False) only while the routing cannot do what the site's domains ask for. */
export const CONDITION_TYPES = ["Ready", "Progressing", "Degraded", "DomainsRouted"] as const;
export const CONDITION_STATUSES = ["True", "False", "Unknown"] as const;

export const conditionSchema = z.object({
  type: z.enum(CONDITION_TYPES),
  status: z.enum(CONDITION_STATUSES),
  reason: z.string(),
  message: z.string(),
  lastTransitionTime: z.string(),
  observedGeneration: z.number().int(),
  /**
   * A Degraded condition's evidence: the last log lines of the container at fault (or the
   * kubelet's words), secrets redacted, captured when the fault appeared.
   */
  logs: z.string().optional(),
});
export const conditionsSchema = z.array(conditionSchema);

export type Condition = z.infer<typeof conditionSchema>;

export interface SiteView {
  id: string;
  accountId: string;
  accountSlug: string;
  name: string;
  app: SiteApp;
  phpVersion: string;
  /** The hostname the site answers on first (also in `domains`); null only for a site without domains. */
  primaryDomain: string | null;
  domains: string[];
  /** `<site>-<account>.<base domain>`: where the site answers before any DNS points at it. */
  platformHostname: string;
  /** The platform hostname as a link (http locally, https by default elsewhere; a port if set). */
  platformUrl: string;
  phase: SitePhase;
  conditions: Condition[];
  generation: number;
  observedGeneration: number;
  /** PHP, environment variables (secret values never included) and resources. */
  settings: SiteSettingsView;
  /** Set once the user asked to delete the site (ISO 8601). */
  deletionRequestedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountView {
  id: string;
  slug: string;
  name: string;
  kind: AccountKind;
  status: AccountStatus;
  /** The caller's effective role here (from this account or an ancestor). */
  role: Role;
  parentId: string | null;
  /** Written by the account reconciler (namespace, quotas, termination); empty until its first pass. */
  conditions: Condition[];
}

/** What every site query includes so that toSiteView can map it. Secrets are not selected by it. */
export const siteViewInclude = {
  account: { select: { slug: true } },
  domains: {
    select: { hostname: true, isPrimary: true },
    orderBy: [{ isPrimary: "desc" }, { hostname: "asc" }],
  },
} as const satisfies Prisma.SiteInclude;

export type SiteForView = Site & {
  account: Pick<Account, "slug">;
  domains: Pick<Domain, "hostname" | "isPrimary">[];
};

/**
 * Conditions are written by the reconciler as JSON; a malformed value is a bug there, shown as
 * "no conditions" rather than breaking every page that lists sites.
 */
export function parseConditions(value: unknown, context: Record<string, unknown> = {}): Condition[] {
  const parsed = conditionsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  log.warn("malformed conditions", { ...context, issues: parsed.error.issues.length });
  return [];
}

export function toSiteView(site: SiteForView): SiteView {
  const primary = site.domains.find((d) => d.isPrimary) ?? site.domains[0];
  const hostname = platformHostname(
    sitePlatformLabel({ name: site.name, accountSlug: site.account.slug, platformLabel: site.platformLabel }),
    sitesBaseDomain(),
  );
  return {
    id: site.id,
    accountId: site.accountId,
    accountSlug: site.account.slug,
    name: site.name,
    app: site.app,
    phpVersion: site.phpVersion,
    primaryDomain: primary?.hostname ?? null,
    domains: site.domains.map((d) => d.hostname),
    platformHostname: hostname,
    platformUrl: platformUrl(hostname),
    // A requested deletion wins over whatever the reconciler last reported.
    phase: site.deletionRequestedAt ? "DELETING" : site.phase,
    conditions: parseConditions(site.conditions, { siteId: site.id }),
    generation: site.generation,
    observedGeneration: site.observedGeneration,
    settings: toSiteSettingsView(site),
    deletionRequestedAt: site.deletionRequestedAt?.toISOString() ?? null,
    createdAt: site.createdAt.toISOString(),
    updatedAt: site.updatedAt.toISOString(),
  };
}

export function toAccountView(account: Account, role: Role): AccountView {
  return {
    id: account.id,
    slug: account.slug,
    name: account.name,
    kind: account.kind,
    status: account.status,
    role,
    parentId: account.parentId,
    conditions: parseConditions(account.conditions ?? [], { accountId: account.id }),
  };
}

/**
 * The Degraded condition when it is True (e.g. a termination the reconciler cannot finish, or
 * objects it cannot apply), with the reconciler's message; null when the account is fine.
 */
export function degradedCondition(conditions: readonly Condition[]): Condition | null {
  return conditions.find((c) => c.type === "Degraded" && c.status === "True") ?? null;
}
