"use client";

import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { LocalTime } from "@/components/sites/local-time";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Select } from "@/components/ui/field";
import { TableIcon } from "@/components/ui/icons";
import { RefreshError } from "@/components/ui/refresh-error";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import type { AccountJson } from "@/lib/api/json";
import { BELOW_NAMES, sectionTitle } from "@/lib/glossary";
import { type ClientSitesPageJson, useClientSites } from "@/lib/query/use-client-sites";
import {
  type CLIENT_SITE_SORTS,
  CLIENT_SITE_STATUSES,
  listClientSitesSchema,
} from "@/lib/validation/client-sites";

const STATUS_LABELS = {
  PROVISIONING: "Provisioning",
  RUNNING: "Running",
  DEGRADED: "Degraded",
  SUSPENDED: "Suspended",
  DELETING: "Deleting",
} as const;

type SortKey = (typeof CLIENT_SITE_SORTS)[number];

export function ClientSitesTable({
  account,
  initialQuery,
  initialPage,
}: {
  account: AccountJson;
  initialQuery: string;
  initialPage: ClientSitesPageJson;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const query = params.toString();
  // initialData belongs to the query the server rendered, not to every later one.
  const { data, error, isFetching } = useClientSites(
    account.id,
    query,
    query === initialQuery ? initialPage : undefined,
  );
  const [search, setSearch] = useState(params.get("q") ?? "");
  // Read through the same schema as the server, so an unknown value shows as the default it falls back to.
  const shown = listClientSitesSchema.parse(Object.fromEntries(params));
  const sort: SortKey = shown.sort;
  const dir = shown.dir;

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params.toString());
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    if (!("page" in changes)) next.delete("page");
    const qs = next.toString();
    router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false });
  }

  function onSearch(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    update({ q: search.trim() });
  }

  function sortHeader(keyName: SortKey, label: string) {
    const active = sort === keyName;
    return (
      <Th key={keyName} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
        <button
          type="button"
          className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 dark:hover:text-zinc-100"
          onClick={() => update({ sort: keyName, dir: active && dir === "asc" ? "desc" : "asc" })}
        >
          {label}
          <span aria-hidden="true">{active ? (dir === "asc" ? "▲" : "▼") : ""}</span>
        </button>
      </Th>
    );
  }

  const page = data ?? initialPage;
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const filtered = Boolean(shown.q || shown.status);
  const below = BELOW_NAMES[account.kind];
  const title = sectionTitle("clientSites", account.kind);
  const clientLabel = `${below.singular.charAt(0).toUpperCase()}${below.singular.slice(1)}`;

  return (
    <Card>
      <CardHeader
        title={title}
        description={`${page.total} ${page.total === 1 ? "site" : "sites"} of the ${below.plural.toLowerCase()} of ${account.name}`}
      />
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <form onSubmit={onSearch} className="flex min-w-0 flex-1 basis-64 gap-2" aria-label="Search">
          <Input
            aria-label={`Search sites, domains and ${below.plural.toLowerCase()}`}
            placeholder={`Search sites, domains, ${below.plural.toLowerCase()}`}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
        {/* The control fills its box (w-full): the box sets its width. */}
        <div className="w-full shrink-0 sm:w-44">
          <Select
            aria-label="Filter by status"
            value={shown.status ?? ""}
            onChange={(e) => update({ status: e.target.value })}
          >
            <option value="">All statuses</option>
            {CLIENT_SITE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {STATUS_LABELS[status]}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <RefreshError error={error} />
      {page.sites.length === 0 ? (
        <EmptyState
          icon={<TableIcon className="size-6" />}
          title={filtered ? "No matching sites" : "No sites yet"}
          description={
            filtered
              ? "No site matches this search or status. Clear the filters to see every site."
              : `When the ${below.plural.toLowerCase()} of ${account.name} create sites, they show up here.`
          }
        />
      ) : (
        <Table label={title} stack>
          <thead>
            <tr>
              {sortHeader("client", clientLabel)}
              {sortHeader("name", "Site")}
              <Th>Domain</Th>
              {sortHeader("status", "Status")}
              {sortHeader("created", "Created")}
            </tr>
          </thead>
          <TBody>
            {page.sites.map((site) => (
              <tr
                key={site.id}
                data-testid="client-site-row"
                data-site-name={site.name}
                data-client={site.accountSlug}
                className={isFetching ? "opacity-80" : undefined}
              >
                <Td label={clientLabel}>
                  <Link
                    href={`/accounts/${site.accountSlug}/sites`}
                    className="font-medium text-zinc-900 hover:text-brand-600 hover:underline dark:text-zinc-100 dark:hover:text-brand-500"
                    title={`Switch to ${site.accountName}`}
                  >
                    {site.accountName}
                  </Link>
                </Td>
                <Td cell="primary">
                  <Link
                    href={`/accounts/${site.accountSlug}/sites/${site.id}`}
                    className="hover:text-brand-600 hover:underline dark:hover:text-brand-500"
                  >
                    {site.name}
                  </Link>
                </Td>
                <Td label="Domain">{site.primaryDomain ?? "—"}</Td>
                <Td label="Status">
                  <SiteStatusBadge phase={site.phase} />
                </Td>
                <Td label="Created" className="text-zinc-500 dark:text-zinc-400">
                  <LocalTime iso={site.createdAt} />
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {pages > 1 ? (
        <nav
          aria-label="Pagination"
          className="flex items-center justify-between border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800"
        >
          <span className="text-zinc-500 dark:text-zinc-400">
            Page {page.page} of {pages}
          </span>
          <div className="flex gap-2">
            <Button
              size="sm"
              variant="secondary"
              disabled={page.page <= 1}
              onClick={() => update({ page: String(page.page - 1) })}
            >
              Previous
            </Button>
            <Button
              size="sm"
              variant="secondary"
              disabled={page.page >= pages}
              onClick={() => update({ page: String(page.page + 1) })}
            >
              Next
            </Button>
          </div>
        </nav>
      ) : null}
    </Card>
  );
}
