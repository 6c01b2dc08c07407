/**
 * The one hierarchy of TanStack Query keys. Broader keys are prefixes of narrower ones, so that
 * invalidating `queryKeys.sites.all` refreshes every site list and detail at once.
 */
export const queryKeys = {
  all: ["sitepod"] as const,
  accounts: {
    all: ["sitepod", "accounts"] as const,
    list: () => [...queryKeys.accounts.all, "list"] as const,
  },
  sites: {
    all: ["sitepod", "sites"] as const,
    lists: () => [...queryKeys.sites.all, "list"] as const,
    list: (accountId: string) => [...queryKeys.sites.lists(), accountId] as const,
    details: () => [...queryKeys.sites.all, "detail"] as const,
    detail: (siteId: string) => [...queryKeys.sites.details(), siteId] as const,
    /** Under the site's detail key: whatever makes the site stale makes its domains stale too. */
    domains: (siteId: string) => [...queryKeys.sites.detail(siteId), "domains"] as const,
    /** The agency view: every site of the accounts below one, a page at a time. */
    clientLists: () => [...queryKeys.sites.all, "clients"] as const,
    clientList: (accountId: string, query: string) =>
      [...queryKeys.sites.clientLists(), accountId, query] as const,
  },
  cronJobs: {
    all: ["sitepod", "cronJobs"] as const,
    /** A site's cron jobs, with its built-in ones and the plan usage. */
    list: (siteId: string) => [...queryKeys.cronJobs.all, "list", siteId] as const,
  },
  databases: {
    all: ["sitepod", "databases"] as const,
    /** An account's databases, users, servers and usage (one answer). */
    account: (accountId: string) => [...queryKeys.databases.all, "account", accountId] as const,
    servers: () => [...queryKeys.databases.all, "servers"] as const,
  },
};

/** What a change event of `kind` for `objectId` makes stale. */
export function keysForChange(change: {
  kind: string;
  objectId: string;
  accountId?: string | null;
}): readonly (readonly string[])[] {
  switch (change.kind) {
    case "Site":
    case "Domain": {
      const lists = change.accountId ? queryKeys.sites.list(change.accountId) : queryKeys.sites.lists();
      // The agency view lists sites of many accounts: any site change may touch one of its pages.
      return [lists, queryKeys.sites.detail(change.objectId), queryKeys.sites.clientLists()];
    }
    case "Account":
    case "Membership":
      return [queryKeys.accounts.all];
    // The event names the cron job, not its site; every open cron list refetches (one per page).
    case "CronJob":
      return [queryKeys.cronJobs.all];
    case "Database":
    case "DatabaseUser":
    case "DatabaseGrant":
      return [change.accountId ? queryKeys.databases.account(change.accountId) : queryKeys.databases.all];
    case "DatabaseServer":
      // A server's reachability shows on the operator's page, its name on every Databases page.
      return [queryKeys.databases.all];
    default:
      return [queryKeys.all];
  }
}
