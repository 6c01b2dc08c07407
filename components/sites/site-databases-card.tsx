"use client";

import Link from "next/link";
import { ENGINE_NAMES, STATE_LABELS } from "@/components/databases/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardHeader } from "@/components/ui/card";
import { Spinner } from "@/components/ui/spinner";
import type { SiteJson } from "@/lib/api/json";
import { useDatabases } from "@/lib/query/use-databases";

const linkClass =
  "font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300 focus-visible:outline-2 focus-visible:outline-brand-500";
/** Underlined: a link inside a sentence must not be told apart by its colour alone. */
const inlineLinkClass = `${linkClass} underline`;

/**
 * The databases given to this site (their credentials are in its environment), from the account's
 * databases (one query, live like the Databases page), and the way to that page, where databases
 * are created and given to sites.
 */
export function SiteDatabasesCard({ site }: { site: SiteJson }) {
  const { data, isPending, error } = useDatabases(site.accountId);
  const databasesHref = `/accounts/${site.accountSlug}/databases`;
  const used = (data?.databases ?? []).filter((db) => db.sites.some((s) => s.siteId === site.id));
  return (
    <Card className="mt-6">
      <CardHeader
        title="Databases"
        description="Databases whose address, name, user and password this site finds in its environment."
        actions={
          <Link href={databasesHref} className={linkClass}>
            All databases of the account
          </Link>
        }
      />
      <div className="px-5 py-4 text-sm" data-testid="site-databases">
        {site.app === "WORDPRESS" ? (
          <p className="mb-3 text-zinc-700 dark:text-zinc-300">
            WordPress keeps its content in a database of its own, which Sitepod created with the site and
            looks after.
          </p>
        ) : null}
        {isPending ? (
          <p className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
            <Spinner /> Loading databases…
          </p>
        ) : error ? (
          <p role="alert" className="text-amber-700 dark:text-amber-300">
            Could not load the databases: {error.message}
          </p>
        ) : used.length === 0 ? (
          <p className="text-zinc-600 dark:text-zinc-400">
            {site.app === "WORDPRESS" ? "No other database is" : "No database is"} given to this site. On the{" "}
            <Link href={databasesHref} className={inlineLinkClass}>
              Databases page
            </Link>{" "}
            you can create one and give it to this site.
          </p>
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
            {used.map((db) => {
              const state = STATE_LABELS[db.state];
              const prefixes = db.sites.filter((s) => s.siteId === site.id).map((s) => s.envPrefix);
              return (
                <li
                  key={db.id}
                  className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2 first:pt-0 last:pb-0"
                >
                  <span className="font-mono text-xs font-medium break-all text-zinc-900 dark:text-zinc-100">
                    {db.name}
                  </span>
                  <span className="text-zinc-600 dark:text-zinc-400">
                    {ENGINE_NAMES[db.engine] ?? db.engine}
                  </span>
                  {state ? <Badge tone={state.tone}>{state.label}</Badge> : null}
                  <span className="text-xs text-zinc-600 dark:text-zinc-400">
                    {prefixes.map((prefix) => `${prefix}DB_*`).join(", ")}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </Card>
  );
}
