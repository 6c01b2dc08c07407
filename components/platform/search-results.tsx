import Link from "next/link";
import type { ReactNode } from "react";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { SignInAsButton } from "@/components/support/sign-in-as-button";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { ACCOUNT_KIND_LABELS, ROLE_LABELS, sectionHref } from "@/lib/glossary";
import type { Hits, SearchResultsView } from "@/lib/services/platform/search-platform";

const linkClass = "font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300";

function Group<T>({
  title,
  kind,
  hits,
  render,
}: {
  title: string;
  kind: string;
  hits: Hits<T>;
  render: (item: T) => ReactNode;
}) {
  const count = hits.items.length;
  return (
    <Card>
      <CardHeader
        title={title}
        description={
          count === 0
            ? "None found."
            : hits.more
              ? `The first ${count}: type more to narrow it down.`
              : `${count} found.`
        }
      />
      {count > 0 ? (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/70" data-testid={`search-${kind}`}>
          {hits.items.map(render)}
        </ul>
      ) : null}
    </Card>
  );
}

/** The operator's search results, one card per kind, each hit leading to where it lives. */
export function SearchResults({ results }: { results: SearchResultsView }) {
  return (
    <div className="grid gap-6 lg:grid-cols-2" data-testid="search-results">
      <Group
        title="Accounts"
        kind="accounts"
        hits={results.accounts}
        render={(account) => (
          <li key={account.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 text-sm">
            <Link href={sectionHref(account.slug, "account")} className={linkClass}>
              {account.name}
            </Link>
            <code className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{account.slug}</code>
            <Badge>{ACCOUNT_KIND_LABELS[account.kind]}</Badge>
            {account.status === "SUSPENDED" ? <Badge tone="warning">Suspended</Badge> : null}
          </li>
        )}
      />
      <Group
        title="Users"
        kind="users"
        hits={results.users}
        render={(user) => (
          <li
            key={user.id}
            data-testid="search-user"
            data-email={user.email}
            className="flex flex-wrap items-start justify-between gap-3 px-5 py-3 text-sm"
          >
            <div className="min-w-0">
              <p className="font-medium text-zinc-900 dark:text-zinc-100">{user.name}</p>
              <p className="text-xs break-all text-zinc-500 dark:text-zinc-400">{user.email}</p>
              <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-300">
                {user.accounts.map((account, i) => (
                  <span key={account.slug}>
                    {i > 0 ? ", " : null}
                    <Link href={sectionHref(account.slug, "members")} className={linkClass}>
                      {account.name}
                    </Link>{" "}
                    ({ROLE_LABELS[account.role].toLowerCase()})
                  </span>
                ))}
                {user.accountCount > user.accounts.length
                  ? ` and ${user.accountCount - user.accounts.length} more`
                  : null}
              </p>
            </div>
            {user.signInAs.allowed ? (
              <SignInAsButton user={user} />
            ) : (
              <p
                className="max-w-56 text-xs text-zinc-500 dark:text-zinc-400"
                data-testid="sign-in-as-refused"
              >
                {user.signInAs.reason}
              </p>
            )}
          </li>
        )}
      />
      <Group
        title="Sites"
        kind="sites"
        hits={results.sites}
        render={(site) => (
          <li key={site.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 text-sm">
            <Link href={`/accounts/${site.accountSlug}/sites/${site.id}`} className={linkClass}>
              {site.name}
            </Link>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">in {site.accountName}</span>
            <SiteStatusBadge phase={site.phase} />
          </li>
        )}
      />
      <Group
        title="Domains"
        kind="domains"
        hits={results.domains}
        render={(domain) => (
          <li key={domain.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3 text-sm">
            <Link href={`/accounts/${domain.accountSlug}/sites/${domain.siteId}`} className={linkClass}>
              {domain.hostname}
            </Link>
            <span className="text-xs text-zinc-500 dark:text-zinc-400">site {domain.siteName}</span>
          </li>
        )}
      />
    </div>
  );
}
