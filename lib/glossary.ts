/**
 * The panel's names for things, in one place (README "Glossary"): the sidebar, page headings, tab
 * titles and breadcrumbs all read them here, so that a link never opens a page under another name.
 */
import type { AccountKind, Role } from "@/lib/generated/prisma/enums";

/** The panel's own name: what every tab title ends with unless a reseller's brand replaces it. */
export const PRODUCT_NAME = "Sitepod";

export const ACCOUNT_KIND_LABELS: Record<AccountKind, string> = {
  PLATFORM: "Platform",
  RESELLER: "Reseller",
  AGENCY: "Agency",
  CUSTOMER: "Customer",
};

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  DEVELOPER: "Developer",
  VIEWER: "Viewer",
};

/**
 * What an account calls the accounts below it and their sites: a reseller has customers, an agency
 * has clients, the platform has every account. A customer has none (its entry is never shown).
 */
export const BELOW_NAMES: Record<AccountKind, { plural: string; singular: string; sites: string }> = {
  PLATFORM: { plural: "Accounts", singular: "account", sites: "All sites" },
  RESELLER: { plural: "Customers", singular: "customer", sites: "Customer sites" },
  AGENCY: { plural: "Clients", singular: "client", sites: "Client sites" },
  CUSTOMER: { plural: "Accounts", singular: "account", sites: "All sites" },
};

/** The areas of an account, each a page under /accounts/<slug>. */
export type AccountSection =
  | "account"
  | "sites"
  | "databases"
  | "accountsBelow"
  | "clientSites"
  | "plans"
  | "members"
  | "apiTokens"
  | "runtimes"
  | "databaseServers"
  | "health"
  | "search"
  | "brand"
  | "auditLog";

const SECTION_PATHS: Record<AccountSection, string> = {
  account: "",
  sites: "/sites",
  databases: "/databases",
  accountsBelow: "/customers",
  clientSites: "/client-sites",
  plans: "/plans",
  members: "/members",
  apiTokens: "/api-tokens",
  runtimes: "/runtimes",
  databaseServers: "/database-servers",
  health: "/health",
  search: "/search",
  brand: "/branding",
  auditLog: "/audit-log",
};

const SECTION_TITLES: Record<Exclude<AccountSection, "accountsBelow" | "clientSites">, string> = {
  account: "Account",
  sites: "Sites",
  databases: "Databases",
  plans: "Plans",
  members: "Members",
  apiTokens: "API tokens",
  runtimes: "Runtimes",
  databaseServers: "Database servers",
  health: "Platform health",
  search: "Search",
  brand: "Branding",
  auditLog: "Audit log",
};

/** The one name of an account's area: its sidebar link, its heading, its tab title, its breadcrumb. */
export function sectionTitle(section: AccountSection, kind: AccountKind): string {
  if (section === "accountsBelow") return BELOW_NAMES[kind].plural;
  if (section === "clientSites") return BELOW_NAMES[kind].sites;
  return SECTION_TITLES[section];
}

export function sectionHref(slug: string, section: AccountSection): string {
  return `/accounts/${slug}${SECTION_PATHS[section]}`;
}

/**
 * The tab title of a page inside an account: the page, the account it belongs to, then the panel's
 * name (Sitepod's, or for the accounts below a reseller its brand's).
 */
export function accountPageTitle(
  page: string,
  account: { name: string },
  panelName: string = PRODUCT_NAME,
): string {
  return `${page} · ${account.name} · ${panelName}`;
}
