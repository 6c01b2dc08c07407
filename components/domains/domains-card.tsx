"use client";

import { AddDomainForm } from "@/components/domains/add-domain-form";
import { domainUsage } from "@/components/domains/domain-format";
import { DomainRow } from "@/components/domains/domain-row";
import { ForceHttpsOption } from "@/components/domains/force-https-option";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RefreshError } from "@/components/ui/refresh-error";
import { Spinner } from "@/components/ui/spinner";
import { Table, TBody, Th } from "@/components/ui/table";
import type { SiteJson } from "@/lib/api/json";
import { useSiteDomains } from "@/lib/query/use-site-domains";

/** The site's domains: primary, redirects, TLS status per domain, and the forms to change them. */
export function DomainsCard({ site }: { site: SiteJson }) {
  const { data: view, error, isPending } = useSiteDomains(site.id);
  const editable = Boolean(view?.canManage) && site.phase !== "DELETING";
  const limited = site.conditions.find((c) => c.type === "DomainsRouted" && c.status === "False");

  return (
    <Card className="mt-6">
      <CardHeader
        title="Domains"
        description={
          view ? (
            <span data-testid="domain-usage">{domainUsage(view.usage)} used by this account</span>
          ) : undefined
        }
      />
      <RefreshError error={error} />
      {limited ? (
        <div
          role="status"
          data-testid="domains-limited"
          className="mx-5 mt-4 rounded-lg border border-amber-300 bg-amber-50 px-3 py-2.5 text-sm text-amber-900 dark:border-amber-500/40 dark:bg-amber-500/10 dark:text-amber-200"
        >
          {limited.message}
        </div>
      ) : null}
      {isPending && !view ? (
        <div className="flex justify-center px-5 py-8">
          <Spinner />
        </div>
      ) : view ? (
        <>
          <Table label="Domains" stack>
            <thead>
              <tr>
                <Th>Domain</Th>
                <Th>Answers</Th>
                <Th>TLS</Th>
                <Th className="text-right">Actions</Th>
              </tr>
            </thead>
            <TBody>
              {view.domains.map((domain) => (
                <DomainRow key={domain.id} domain={domain} view={view} editable={editable} />
              ))}
            </TBody>
          </Table>
          <p className="flex flex-wrap items-center gap-2 border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            <Badge tone="neutral">Platform</Badge>
            <a
              href={site.platformUrl}
              target="_blank"
              rel="noopener noreferrer"
              className="font-medium text-brand-700 hover:underline dark:text-brand-300"
              data-testid="platform-hostname"
            >
              {site.platformHostname}
            </a>
            works before your domains' DNS points here.
          </p>
          <CardBody className="space-y-6 border-t border-zinc-100 dark:border-zinc-800">
            <ForceHttpsOption view={view} editable={editable} />
            {editable ? <AddDomainForm siteId={site.id} view={view} /> : null}
          </CardBody>
        </>
      ) : null}
    </Card>
  );
}
