/**
 * The one hierarchy of TanStack Query keys. Broader keys are prefixes of narrower ones, so that
 * invalidating `queryKeys.sites.all` refreshes every site list and detail at once.
 */
export const queryKeys = {
  all: ["sitepod"] as const,
  accounts: {
    all: ["sitepod", "accounts"] as const,
    list: () => [...queryKeys.accounts.all, "list"] as const,
    /** The switcher's search over every account the user reaches. */
    search: (q: string) => [...queryKeys.accounts.all, "search", q] as const,
  },
  sites: {
    all: ["sitepod", "sites"] as const,
    lists: () => [...queryKeys.sites.all, "list"] as const,
    list: (accountId: string) => [...queryKeys.sites.lists(), accountId] as const,
    details: () => [...queryKeys.sites.all, "detail"] as const,
    detail: (siteId: string) => [...queryKeys.sites.details(), siteId] as const,
    /** Under the site's detail key: whatever makes the site stale makes its domains stale too. */
    domains: (siteId: string) => [...queryKeys.sites.detail(siteId), "domains"] as const,
    /** The DNS records and their check: looked up again whenever the site (or a domain) changes. */
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
  /**
   * A site's DNS records and their check. Not under the site's detail key: each fetch looks the
   * domains up, and a site's status reports (many while it is set up) change nothing of it.
   */
  dns: {
    all: ["sitepod", "dns"] as const,
    site: (siteId: string) => [...queryKeys.dns.all, siteId] as const,
  },
  quota: {
    all: ["sitepod", "quota"] as const,
    /** An account's plan and what it uses of each limit. */
    account: (accountId: string) => [...queryKeys.quota.all, accountId] as const,
  },
  databases: {
    all: ["sitepod", "databases"] as const,
    /** An account's databases, users, servers and usage (one answer). */
    account: (accountId: string) => [...queryKeys.databases.all, "account", accountId] as const,
    servers: () => [...queryKeys.databases.all, "servers"] as const,
  },
  /** The platform operator's health page: polled, since heartbeats write no change-log rows. */
  platform: {
    all: ["sitepod", "platform"] as const,
    health: () => [...queryKeys.platform.all, "health"] as const,
  },
};

/** The account's usage, stale after any change but a status report (which changes no usage). */
function quotaOf(change: ChangeRef): (readonly string[])[] {
  if (change.action === "STATUS") return [];
  return [change.accountId ? queryKeys.quota.account(change.accountId) : queryKeys.quota.all];
}

interface ChangeRef {
  kind: string;
  objectId: string;
  accountId?: string | null;
  action?: string;
}

/** What a change event of `kind` for `objectId` makes stale. */
export function keysForChange(change: ChangeRef): readonly (readonly string[])[] {
  switch (change.kind) {
    case "Site":
    case "Domain": {
      const lists = change.accountId ? queryKeys.sites.list(change.accountId) : queryKeys.sites.lists();
      // The agency view lists sites of many accounts: any site change may touch one of its pages.
      // A domain change names the domain, not its site: every open DNS check looks again.
      const dns =
        change.action === "STATUS"
          ? []
          : [change.kind === "Site" ? queryKeys.dns.site(change.objectId) : queryKeys.dns.all];
      return [
        lists,
        queryKeys.sites.detail(change.objectId),
        queryKeys.sites.clientLists(),
        ...quotaOf(change),
        ...dns,
      ];
    }
    // An account's plan, status or allotment changed: its usage panel too.
    case "Account":
      return [queryKeys.accounts.all, queryKeys.quota.all];
    case "Membership":
      return [queryKeys.accounts.all];
    // The event names the cron job, not its site; every open cron list refetches (one per page).
    case "CronJob":
      return [queryKeys.cronJobs.all, ...quotaOf(change)];
    case "Database":
    case "DatabaseUser":
    case "DatabaseGrant":
      return [
        change.accountId ? queryKeys.databases.account(change.accountId) : queryKeys.databases.all,
        ...quotaOf(change),
      ];
    case "DatabaseServer":
      // A server's reachability shows on the operator's page, its name on every Databases page.
      return [queryKeys.databases.all];
    // No query holds API tokens (their page is rendered on the server): a token's creation, its
    // use from a new address and its revocation make nothing stale.
    case "ApiToken":
      return [];
    // A support session started or ended in an account: its audit log (rendered on the server)
    // shows it; no query holds it.
    case "Impersonation":
      return [];
    default:
      return [queryKeys.all];
  }
}
