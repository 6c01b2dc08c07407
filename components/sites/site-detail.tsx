"use client";

import { type ReactNode, useMemo, useState } from "react";
import { CronJobsCard } from "@/components/cron-jobs/cron-jobs-card";
import { DomainsCard } from "@/components/domains/domains-card";
import { PageHeader } from "@/components/page-header";
import type { Crumb } from "@/components/shell/account-trail";
import { DeleteSiteDialog } from "@/components/sites/delete-site-dialog";
import { SiteDatabasesCard } from "@/components/sites/site-databases-card";
import { SiteDnsCard } from "@/components/sites/site-dns-card";
import { SiteFault } from "@/components/sites/site-fault";
import { type SiteSection, SiteSectionsNav } from "@/components/sites/site-sections-nav";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { SiteSummary } from "@/components/sites/site-summary";
import { SiteTechnicalDetails } from "@/components/sites/site-technical-details";
import { SiteTimeline } from "@/components/sites/site-timeline";
import { WordpressAdminCredentials } from "@/components/sites/wordpress-admin-credentials";
import { Button, ButtonLink, buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { ExternalLinkIcon } from "@/components/ui/icons";
import type { SiteJson } from "@/lib/api/json";
import { ApiError } from "@/lib/query/api-client";
import { useSite } from "@/lib/query/use-site";

/**
 * One section of the page, the target of its link in the sections bar. `scroll-mt-32` lands a
 * jump below the sticky top bar and the sections bar.
 */
function Section({ id, children }: { id: string; children: ReactNode }) {
  return (
    <div id={id} className="scroll-mt-32">
      {children}
    </div>
  );
}

/**
 * The site page, a hub: the status in plain words and the way to the site first, then every part
 * of the site in one page (domains, DNS, PHP and resources, cron jobs, databases, activity), with a
 * bar of links to each, and the Kubernetes detail last, folded away.
 * `settings`: the site's settings panel (components/sites/site-settings-form.tsx), rendered by the page.
 */
export function SiteDetail({
  initialSite,
  breadcrumbs,
  settings,
}: {
  initialSite: SiteJson;
  /** Up to the site's account (components/shell/account-trail.ts), the site last. */
  breadcrumbs: readonly Crumb[];
  settings?: ReactNode;
}) {
  const { data: site = initialSite, error } = useSite(initialSite.id, initialSite);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const deleting = site.phase === "DELETING";
  const showSettings = !deleting && settings !== undefined;
  const sections = useMemo<SiteSection[]>(
    () => [
      { id: "overview", label: "Overview" },
      { id: "domains", label: "Domains" },
      { id: "dns", label: "DNS" },
      ...(showSettings ? [{ id: "php", label: "PHP & resources" }] : []),
      { id: "cron-jobs", label: "Cron jobs" },
      { id: "databases", label: "Databases" },
      { id: "activity", label: "Activity" },
      { id: "technical", label: "Technical details" },
    ],
    [showSettings],
  );
  const sitesHref = `/accounts/${initialSite.accountSlug}/sites`;
  if (error instanceof ApiError && error.status === 404) {
    return (
      <>
        <PageHeader title={initialSite.name} breadcrumbs={breadcrumbs} />
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

  return (
    <>
      <PageHeader
        breadcrumbs={breadcrumbs}
        title={
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1">
            <span className="min-w-0 break-all">{site.name}</span>
            <SiteStatusBadge phase={site.phase} />
          </span>
        }
        description={site.primaryDomain ?? "No domain"}
        actions={
          !deleting ? (
            <>
              {/* Its own tab: the site is the tenant's page, not the panel's. */}
              <a
                href={site.platformUrl}
                target="_blank"
                rel="noopener noreferrer"
                className={buttonClasses("primary")}
                data-testid="open-site"
              >
                Visit site
                <ExternalLinkIcon className="size-4" />
                <span className="sr-only">(opens in a new tab)</span>
              </a>
              <Button variant="secondary" onClick={() => setDeleteOpen(true)}>
                Delete site
              </Button>
            </>
          ) : null
        }
      />

      <SiteSectionsNav sections={sections} />

      <WordpressAdminCredentials siteId={site.id} />

      <Section id="overview">
        <SiteSummary site={site} />
        <SiteFault conditions={site.conditions} />
      </Section>

      <Section id="domains">
        <DomainsCard site={site} />
      </Section>

      <Section id="dns">
        <SiteDnsCard siteId={site.id} siteDeleting={deleting} />
      </Section>

      {showSettings ? <Section id="php">{settings}</Section> : null}

      <Section id="cron-jobs">
        <CronJobsCard siteId={site.id} siteDeleting={deleting} />
      </Section>

      <Section id="databases">
        <SiteDatabasesCard site={site} />
      </Section>

      <Section id="activity">
        <SiteTimeline siteId={site.id} />
      </Section>

      <Section id="technical">
        <SiteTechnicalDetails site={site} />
      </Section>

      <DeleteSiteDialog site={site} open={deleteOpen} onClose={() => setDeleteOpen(false)} />
    </>
  );
}
