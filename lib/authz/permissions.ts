/**
 * Every permission of Sitepod as a named predicate on the caller's effective role. Components,
 * actions and services ask these; nothing else compares roles.
 */
import type { AccountKind, AccountStatus, Role } from "@/lib/generated/prisma/enums";

/** Strongest first. */
export const ROLES_BY_STRENGTH: readonly Role[] = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];

export function roleStrength(role: Role): number {
  return ROLES_BY_STRENGTH.length - ROLES_BY_STRENGTH.indexOf(role);
}

export function strongestRole(roles: Iterable<Role>): Role | null {
  let best: Role | null = null;
  for (const role of roles) {
    if (best === null || roleStrength(role) > roleStrength(best)) best = role;
  }
  return best;
}

function atLeast(minimum: Role): (role: Role) => boolean {
  return (role) => roleStrength(role) >= roleStrength(minimum);
}

export type Permission = (role: Role) => boolean;

export const canViewAccount: Permission = atLeast("VIEWER");
export const canViewSite: Permission = atLeast("VIEWER");
export const canCreateSite: Permission = atLeast("DEVELOPER");
export const canDeleteSite: Permission = atLeast("DEVELOPER");
/** Change a site's settings (PHP, environment variables, resources): whoever may create sites. */
export const canUpdateSite: Permission = canCreateSite;
/** Add and remove a site's domains, choose its primary, redirects and force-HTTPS. */
export const canManageDomains: Permission = atLeast("DEVELOPER");
/** Create, change, pause and delete a site's cron jobs (who may view the site sees them). */
export const canManageCronJobs: Permission = atLeast("DEVELOPER");

// Hosting business: plans, child accounts, members, audit log.
export const canViewPlans: Permission = atLeast("VIEWER");
export const canManagePlans: Permission = atLeast("ADMIN");
export const canViewChildAccounts: Permission = atLeast("VIEWER");
/** Create child accounts, change their plan, suspend and unsuspend them. */
export const canManageChildAccounts: Permission = atLeast("ADMIN");
export const canTerminateAccount: Permission = atLeast("ADMIN");
export const canInviteMembers: Permission = atLeast("ADMIN");
export const canRemoveMembers: Permission = atLeast("ADMIN");
export const canTransferOwnership: Permission = atLeast("OWNER");
export const canViewAuditLog: Permission = atLeast("ADMIN");
/** See a reseller's white label (its name, colour, logo and panel hostname) in its Branding page. */
export const canViewBrand: Permission = atLeast("VIEWER");
/** Change a reseller's white label: its owners and admins (and those of the platform above it). */
export const canManageBrand: Permission = atLeast("ADMIN");
/** Require two-factor sign-in of everyone in the account and below. */
export const canSetTwoFactorPolicy: Permission = atLeast("ADMIN");
/** Platform operators only (a role on the platform account): turn off a user's two-factor sign-in. */
export const canResetUserTwoFactor: Permission = atLeast("ADMIN");
/** Platform operators only: see the runtime catalog (PHP version -> image). */
export const canViewRuntimes: Permission = atLeast("VIEWER");
/** Platform operators only: add runtime images, change them, offer them or not. */
export const canManageRuntimes: Permission = atLeast("ADMIN");

// Databases: an account's databases, database users and grants; the servers are the operator's.
export const canViewDatabases: Permission = atLeast("VIEWER");
/** Create and delete databases and users, grant and revoke, reset passwords, attach to sites. */
export const canManageDatabases: Permission = atLeast("DEVELOPER");
/** Platform operators only: see the registered database servers (never their admin password). */
export const canViewDatabaseServers: Permission = atLeast("VIEWER");
/** Platform operators only: register database servers and change them. */
export const canManageDatabaseServers: Permission = atLeast("ADMIN");

// The platform operator's own tools (a role on the platform account; lib/authz/platform.ts).
/** Platform operators only: the platform health page (reconciler, cluster, database servers, sites). */
export const canViewPlatformHealth: Permission = atLeast("VIEWER");
/** Platform operators only: search every account, user, site and domain. */
export const canSearchPlatform: Permission = atLeast("VIEWER");
/**
 * Platform operators only: sign in as a user for support (lib/services/impersonation/), acting with
 * that user's roles and nothing of their own.
 */
export const canImpersonateUsers: Permission = atLeast("ADMIN");

// API tokens: every member may create tokens for themselves, with a role no stronger than theirs.
export const canCreateApiTokens: Permission = atLeast("VIEWER");
/** See and revoke every member's tokens on the account, not only one's own. */
export const canManageApiTokens: Permission = atLeast("ADMIN");

/** A token's role may be at most the creator's own role on the account. */
export function canGrantRole(own: Role, granted: Role): boolean {
  return roleStrength(granted) <= roleStrength(own);
}

// Areas of the panel: which parts of the navigation an account's member sees. A kind of account
// says what the account is for; the role says what its member may do there.

export const canViewMembers: Permission = atLeast("VIEWER");

/** Platforms, resellers and agencies have accounts below them; customers do not. */
export function hasAccountsBelow(kind: AccountKind): boolean {
  return kind !== "CUSTOMER";
}

/**
 * Resellers white-label the panel of the accounts below them; the platform is Sitepod itself, and an
 * agency's clients see their provider's panel.
 */
export function brandsPanel(kind: AccountKind): boolean {
  return kind === "RESELLER";
}

/** Plans are a provider's catalogue: the platform's and resellers'. Agencies use their provider's. */
export function sellsPlans(kind: AccountKind): boolean {
  return kind === "PLATFORM" || kind === "RESELLER";
}

export interface AccountAreas {
  sites: boolean;
  members: boolean;
  accountsBelow: boolean;
  clientSites: boolean;
  plans: boolean;
  auditLog: boolean;
  /** The runtime catalog: the platform operator's. */
  runtimes: boolean;
  /** The account's databases and database users. */
  databases: boolean;
  /** The registered database servers: the platform operator's. */
  databaseServers: boolean;
  /** The account's API tokens (each member's own; admins see everyone's). */
  apiTokens: boolean;
  /** The platform operator's health page. */
  health: boolean;
  /** The platform operator's search across every account. */
  search: boolean;
  /** A reseller's white label. */
  brand: boolean;
}

/** The areas of the panel shown for an account, from its kind and the caller's role on it. */
export function accountAreas(account: { kind: AccountKind; role: Role }): AccountAreas {
  const below = hasAccountsBelow(account.kind);
  return {
    sites: true,
    members: canViewMembers(account.role),
    accountsBelow: below && canViewChildAccounts(account.role),
    clientSites: below && canViewChildAccounts(account.role),
    plans: sellsPlans(account.kind) && canViewPlans(account.role),
    auditLog: canViewAuditLog(account.role),
    runtimes: account.kind === "PLATFORM" && canViewRuntimes(account.role),
    databases: canViewDatabases(account.role),
    databaseServers: account.kind === "PLATFORM" && canViewDatabaseServers(account.role),
    apiTokens: canCreateApiTokens(account.role),
    health: account.kind === "PLATFORM" && canViewPlatformHealth(account.role),
    search: account.kind === "PLATFORM" && canSearchPlatform(account.role),
    brand: brandsPanel(account.kind) && canViewBrand(account.role),
  };
}

/**
 * Why no site can be created in this account right now, or null. The services refuse it anyway
 * (assertWithinLimits); the UI asks first so that nobody fills in a form only to be refused.
 */
export function siteCreationBlockedReason(account: { status: AccountStatus }): string | null {
  return account.status === "SUSPENDED"
    ? "This account is suspended: no new site can be created until your hosting provider restores it."
    : null;
}
