"use client";

import type { ReactNode } from "react";
import { APP_LABELS } from "@/components/sites/format";
import { LocalTime } from "@/components/sites/local-time";
import { type PrimaryDnsState, siteStatusWords } from "@/components/sites/site-status-words";
import type { BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import type { SiteJson } from "@/lib/api/json";
import { useSiteDns } from "@/lib/query/use-site-dns";

const DOT: Record<BadgeTone, string> = {
  success: "bg-emerald-500",
  info: "bg-sky-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
  neutral: "bg-zinc-400",
};

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

const strong = "font-medium text-zinc-900 dark:text-zinc-100";
/** Underlined: a link inside a sentence must not be told apart by its colour alone. */
const inlineLink =
  "font-medium text-brand-700 underline underline-offset-2 hover:decoration-2 dark:text-brand-300";

/** Where visitors reach a live site, in one sentence. */
function Reach({
  reach,
  platformUrl,
}: {
  reach: NonNullable<ReturnType<typeof siteStatusWords>["reach"]>;
  platformUrl: string;
}) {
  const platform = (
    <a href={platformUrl} target="_blank" rel="noopener noreferrer" className={cn(inlineLink, "break-all")}>
      {reach.platformHostname}
    </a>
  );
  if (!reach.domain) return <>Visitors reach it at {platform}.</>;
  const domain = <span className={cn(strong, "break-all")}>{reach.domain}</span>;
  if (reach.domainLive) {
    return (
      <>
        Visitors reach it at {domain} and at {platform}.
      </>
    );
  }
  return (
    <>
      Visitors reach it at {platform} now, and at {domain} once its DNS points here (
      <a href="#dns" className={inlineLink}>
        see DNS
      </a>
      ).
    </>
  );
}

/**
 * The top of the site page: its status in plain words (live, being set up, suspended and why, a
 * problem and where it is explained, being deleted), where visitors reach it, and what it runs.
 * Follows the live site query; the DNS check says whether the primary domain leads here yet.
 */
export function SiteSummary({ site }: { site: SiteJson }) {
  const dns = useSiteDns(site.id, site.phase !== "DELETING");
  const primary = dns.data?.domains.find((d) => d.isPrimary);
  const primaryDns: PrimaryDnsState = primary?.check.state ?? "unknown";
  const words = siteStatusWords(site, primaryDns);
  return (
    <Card>
      <div className="px-5 py-5" data-testid="site-summary" data-phase={site.phase}>
        <div className="space-y-1.5">
          {/* Announced when the phase changes (a new site turning live), without moving focus. */}
          <h2
            id="site-summary-heading"
            aria-live="polite"
            className="flex items-center gap-2.5 text-lg font-semibold text-zinc-900 dark:text-zinc-100"
          >
            <span aria-hidden="true" className={cn("size-2.5 shrink-0 rounded-full", DOT[words.tone])} />
            {words.headline}
          </h2>
          {words.detail ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="site-summary-detail">
              {words.detail}
              {words.seeFault ? (
                <>
                  {" "}
                  <a href="#site-fault" className={inlineLink}>
                    See what went wrong
                  </a>
                  .
                </>
              ) : null}
            </p>
          ) : null}
          {words.reach ? (
            <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="site-summary-reach">
              <Reach reach={words.reach} platformUrl={site.platformUrl} />
            </p>
          ) : null}
          {words.next ? <p className="text-sm text-zinc-600 dark:text-zinc-400">{words.next}</p> : null}
        </div>
        <dl className="mt-5 grid grid-cols-2 gap-x-6 gap-y-4 border-t border-zinc-200 pt-4 sm:grid-cols-4 dark:border-zinc-800">
          <Fact label="Application">{APP_LABELS[site.app]}</Fact>
          <Fact label="PHP version">{site.phpVersion}</Fact>
          <Fact label="Created">
            <LocalTime iso={site.createdAt} />
          </Fact>
          <Fact label="Last change">
            <LocalTime iso={site.updatedAt} />
          </Fact>
        </dl>
      </div>
    </Card>
  );
}
