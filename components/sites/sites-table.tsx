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
import { useAccountQuota } from "@/lib/query/use-account-quota";
import { useSites } from "@/lib/query/use-sites";
import { newSiteLimitReason } from "@/lib/quota/new-site";
import type { AccountQuotaView } from "@/lib/services/quota/get-account-quota";

export function SitesTable({
  account,
  initialSites,
  initialQuota,
}: {
  account: AccountJson;
  initialSites: SiteJson[];
  initialQuota: AccountQuotaView;
}) {
  const { data: sites = [], error } = useSites(account.id, initialSites);
  // Live: deleting a site (here or in another tab) enables "New site" again without a reload.
  const { data: quota = initialQuota } = useAccountQuota(account.id, initialQuota);
  const limitReason = newSiteLimitReason(quota);

  return (
    <Card>
      <CardHeader
        title={account.name}
        description={`${sites.length} ${sites.length === 1 ? "site" : "sites"}`}
        actions={
          sites.length > 0 ? <NewSiteButton account={account} size="sm" limitReason={limitReason} /> : null
        }
      />
      <RefreshError error={error} />
      {sites.length === 0 ? (
        <EmptyState
          icon={<GlobeIcon className="size-6" />}
          title="No sites yet"
          description="Create your first site: pick a name and a domain, and Sitepod sets up WordPress or PHP for you."
          action={<NewSiteButton account={account} limitReason={limitReason} />}
        />
      ) : (
        <Table label="Sites" stack>
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
                <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                  <Link
                    href={`/accounts/${account.slug}/sites/${site.id}`}
                    className="hover:text-brand-600 hover:underline dark:hover:text-brand-500"
                  >
                    {site.name}
                  </Link>
                </Td>
                <Td label="Primary domain">{site.primaryDomain ?? "—"}</Td>
                <Td label="PHP">{site.phpVersion}</Td>
                <Td label="App">{APP_LABELS[site.app]}</Td>
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
    </Card>
  );
}
