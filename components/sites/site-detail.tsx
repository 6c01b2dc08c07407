"use client";

import Link from "next/link";
import { type ReactNode, useState } from "react";
import { DomainsCard } from "@/components/domains/domains-card";
import { CronJobsCard } from "@/components/cron-jobs/cron-jobs-card";
import { PageHeader } from "@/components/page-header";
import { DeleteSiteDialog } from "@/components/sites/delete-site-dialog";
import { APP_LABELS } from "@/components/sites/format";
import { LocalTime } from "@/components/sites/local-time";
import { SiteFault } from "@/components/sites/site-fault";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { SiteTimeline } from "@/components/sites/site-timeline";
import { WordpressAdminCredentials } from "@/components/sites/wordpress-admin-credentials";
import { Badge } from "@/components/ui/badge";
import { Button, ButtonLink, buttonClasses } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ArrowLeftIcon } from "@/components/ui/icons";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import type { SiteJson } from "@/lib/api/json";
import { ApiError } from "@/lib/query/api-client";
import { useSite } from "@/lib/query/use-site";

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
        {label}
      </dt>
      <dd className="mt-1 text-sm text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

const conditionTone = (type: string, status: string) => {
  if (status === "Unknown") return "neutral" as const;
  const good = type === "Degraded" ? status === "False" : status === "True";
  return good ? ("success" as const) : type === "Progressing" ? ("info" as const) : ("warning" as const);
};

/** `settings`: the site's settings panel (components/sites/site-settings-form.tsx), rendered by the page. */
export function SiteDetail({ initialSite, settings }: { initialSite: SiteJson; settings?: ReactNode }) {
  const { data: site = initialSite, error } = useSite(initialSite.id, initialSite);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const sitesHref = `/accounts/${initialSite.accountSlug}/sites`;
  const back = (
    <Link
      href={sitesHref}
      className="inline-flex items-center gap-1.5 text-sm text-zinc-500 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
    >
      <ArrowLeftIcon className="size-4" />
      All sites
    </Link>
  );

  if (error instanceof ApiError && error.status === 404) {
    return (
      <>
        <PageHeader title={initialSite.name} back={back} />
        <Card>
          <EmptyState
            title="This site has been deleted"
            description="Its Kubernetes objects, files and domains are gone."
            action={<ButtonLink href={sitesHref}>Back to sites</ButtonLink>}
          />
        </Card>
      </>
    );
  }

  const upToDate = site.observedGeneration >= site.generation;

  return (
    <>
      <PageHeader
        back={back}
        title={
          <span className="flex items-center gap-3">
            {site.name}
            <SiteStatusBadge phase={site.phase} />
          </span>
        }
        description={site.primaryDomain ?? "No domain"}
        actions={
          site.phase !== "DELETING" ? (
            <>
              {/* Its own tab: the site is the tenant's page, not the panel's. */}
              <a
                href={site.platformUrl}
                target="_blank"
                rel="noopener noreferrer"
                className={buttonClasses("secondary")}
                data-testid="open-site"
              >
                Open site
              </a>
              <Button variant="secondary" onClick={() => setDeleteOpen(true)}>
                Delete site
              </Button>
            </>
          ) : null
        }
      />

      <WordpressAdminCredentials siteId={site.id} />
      <SiteFault conditions={site.conditions} />

      <div className="grid gap-6">
        <Card>
          <CardHeader title="Overview" />
          <CardBody>
            <dl className="grid grid-cols-2 gap-x-6 gap-y-5 sm:grid-cols-3">
              <Detail label="Application">{APP_LABELS[site.app]}</Detail>
              <Detail label="PHP version">{site.phpVersion}</Detail>
              <Detail label="Created">
                <LocalTime iso={site.createdAt} />
              </Detail>
              <Detail label="Generation">
                <span data-testid="generation">{site.generation}</span>
              </Detail>
              <Detail label="Observed generation">
                <span className="inline-flex items-center gap-2">
                  <span data-testid="observed-generation">{site.observedGeneration}</span>
                  <Badge tone={upToDate ? "success" : "info"}>{upToDate ? "Up to date" : "Applying"}</Badge>
                </span>
              </Detail>
              <Detail label="Last change">
                <LocalTime iso={site.updatedAt} />
              </Detail>
            </dl>
          </CardBody>
        </Card>
      </div>

      <DomainsCard site={site} />

      <Card className="mt-6">
        <CardHeader title="Status conditions" description="What the platform last observed for this site." />
        {site.conditions.length === 0 ? (
          <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">
            No conditions reported yet. They appear once provisioning starts.
          </p>
        ) : (
          <Table label="Status conditions">
            <thead>
              <tr>
                <Th>Type</Th>
                <Th>Status</Th>
                <Th>Reason</Th>
                <Th>Message</Th>
                <Th>Since</Th>
              </tr>
            </thead>
            <TBody>
              {site.conditions.map((condition) => (
                <tr key={condition.type} data-testid="condition-row" data-condition={condition.type}>
                  <Td className="font-medium text-zinc-900 dark:text-zinc-100">{condition.type}</Td>
                  <Td>
                    <Badge tone={conditionTone(condition.type, condition.status)}>{condition.status}</Badge>
                  </Td>
                  <Td className="font-mono text-xs">{condition.reason}</Td>
                  <Td className="max-w-md whitespace-normal">{condition.message}</Td>
                  <Td className="text-zinc-500 dark:text-zinc-400">
                    <LocalTime iso={condition.lastTransitionTime} />
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {site.phase !== "DELETING" ? settings : null}
      <CronJobsCard siteId={site.id} siteDeleting={site.phase === "DELETING"} />

      <SiteTimeline siteId={site.id} />

      <DeleteSiteDialog site={site} open={deleteOpen} onClose={() => setDeleteOpen(false)} />
    </>
  );
}
