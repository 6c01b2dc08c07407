"use client";

import Link from "next/link";
import { APP_LABELS } from "@/components/sites/format";
import { LocalTime } from "@/components/sites/local-time";
import { NewSiteButton } from "@/components/sites/new-site-button";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { Card, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { GlobeIcon } from "@/components/ui/icons";
import { RefreshError } from "@/components/ui/refresh-error";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import type { AccountJson, SiteJson } from "@/lib/api/json";
import { useSites } from "@/lib/query/use-sites";

export function SitesTable({ account, initialSites }: { account: AccountJson; initialSites: SiteJson[] }) {
  const { data: sites = [], error } = useSites(account.id, initialSites);

  return (
    <Card>
      <CardHeader
        title={account.name}
        description={`${sites.length} ${sites.length === 1 ? "site" : "sites"}`}
        actions={sites.length > 0 ? <NewSiteButton account={account} size="sm" /> : null}
      />
      <RefreshError error={error} />
      {sites.length === 0 ? (
        <EmptyState
          icon={<GlobeIcon className="size-6" />}
          title="No sites yet"
          description="Create your first site: pick a name and a domain, and Sitepod sets up WordPress or PHP for you."
          action={<NewSiteButton account={account} />}
        />
      ) : (
        <Table label="Sites">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Primary domain</Th>
              <Th>PHP</Th>
              <Th>App</Th>
              <Th>Status</Th>
              <Th>Created</Th>
            </tr>
          </thead>
          <TBody>
            {sites.map((site) => (
              <tr
                key={site.id}
                data-testid="site-row"
                data-site-name={site.name}
                className="transition-colors hover:bg-zinc-50 dark:hover:bg-zinc-800/40"
              >
                <Td className="font-medium text-zinc-900 dark:text-zinc-100">
                  <Link
                    href={`/accounts/${account.slug}/sites/${site.id}`}
                    className="hover:text-brand-600 hover:underline dark:hover:text-brand-500"
                  >
                    {site.name}
                  </Link>
                </Td>
                <Td>{site.primaryDomain ?? "—"}</Td>
                <Td>{site.phpVersion}</Td>
                <Td>{APP_LABELS[site.app]}</Td>
                <Td>
                  <SiteStatusBadge phase={site.phase} />
                </Td>
                <Td className="text-zinc-500 dark:text-zinc-400">
                  <LocalTime iso={site.createdAt} />
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
