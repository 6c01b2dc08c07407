"use client";

import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Spinner } from "@/components/ui/spinner";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { type SiteDnsJson, useSiteDns } from "@/lib/query/use-site-dns";

type DnsDomainJson = SiteDnsJson["domains"][number];
type DnsCheckJson = DnsDomainJson["check"];

const CHECK_TIMEOUT_SECONDS = 3;

/** The check of one domain in a few words, and what to do about it. */
export function describeCheck(check: DnsCheckJson): { tone: BadgeTone; label: string; hint: string | null } {
  switch (check.state) {
    case "points_here":
      return { tone: "success", label: "Points here", hint: "Visitors who type this name reach your site." };
    case "points_elsewhere": {
      const where = [
        ...(check.cname ? [`CNAME to ${check.cname}`] : []),
        ...(check.elsewhere.length > 0 ? [check.elsewhere.join(", ")] : []),
      ].join("; ");
      return {
        tone: "warning",
        label: `Points elsewhere${where ? `: ${where}` : ""}`,
        hint: "Replace those records with the ones below; until then visitors land elsewhere.",
      };
    }
    case "not_found":
      return {
        tone: "neutral",
        label: "No DNS record found",
        hint: "Create the records below. A new record can take a few minutes to a few hours to be seen everywhere.",
      };
    case "lookup_failed":
      return {
        tone: "warning",
        label:
          check.reason === "timeout"
            ? `Lookup failed: no answer within ${CHECK_TIMEOUT_SECONDS} seconds`
            : `Lookup failed${check.code ? ` (${check.code})` : ""}`,
        hint: "The platform's resolver could not tell. Check again in a moment.",
      };
  }
}

function DomainDns({ domain }: { domain: DnsDomainJson }) {
  const check = describeCheck(domain.check);
  const headingId = `dns-${domain.hostname}`;
  return (
    <li
      className="border-t border-zinc-200 first:border-t-0 dark:border-zinc-800"
      data-testid="dns-domain"
      data-hostname={domain.hostname}
      data-check={domain.check.state}
    >
      <div className="space-y-1.5 px-5 pt-4 pb-3">
        <h3
          id={headingId}
          className="flex flex-wrap items-center gap-2 text-sm font-semibold break-all text-zinc-900 dark:text-zinc-100"
        >
          {domain.unicodeHostname}
          {domain.isPrimary ? <Badge tone="info">Primary</Badge> : null}
        </h3>
        <p className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <Badge tone={check.tone} data-testid="dns-check">
            {check.label}
          </Badge>
          {check.hint ? <span className="text-zinc-600 dark:text-zinc-400">{check.hint}</span> : null}
        </p>
      </div>
      <Table label={`DNS records for ${domain.unicodeHostname}`} stack>
        <thead>
          <tr>
            <Th>Type</Th>
            <Th>Name</Th>
            <Th>Value</Th>
          </tr>
        </thead>
        <TBody>
          {domain.records.map((record) => (
            <tr
              key={`${record.type} ${record.value}`}
              data-testid="dns-record"
              data-type={record.type}
              data-name={record.name}
              data-value={record.value}
            >
              <Td label="Type" className="font-mono text-xs font-semibold text-zinc-900 dark:text-zinc-100">
                {record.type}
              </Td>
              <Td label="Name" wrap>
                <span className="flex flex-wrap items-center gap-x-2">
                  <span className="font-mono text-xs break-all">{record.name}</span>
                  <CopyButton value={record.name} label={`Copy name ${record.name}`} />
                </span>
                <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                  or <span className="font-mono">{record.host}</span> where the form asks for a host
                </span>
              </Td>
              <Td label="Value" wrap>
                <span className="flex flex-wrap items-center gap-x-2">
                  <span className="font-mono text-xs break-all">{record.value}</span>
                  <CopyButton value={record.value} label={`Copy value ${record.value}`} />
                </span>
              </Td>
            </tr>
          ))}
        </TBody>
      </Table>
    </li>
  );
}

/** One sentence for screen readers and eyes alike, announced politely when a check ends. */
function checkSummary(dns: SiteDnsJson): string {
  const time = new Date(dns.checkedAt).toLocaleTimeString();
  if (dns.domains.length === 0) return `Checked at ${time}: the site has no domains.`;
  const results = dns.domains.map((d) => `${d.unicodeHostname}: ${describeCheck(d.check).label}`);
  return `Checked at ${time}. ${results.join(". ")}.`;
}

/**
 * The DNS records each of the site's domains needs, where to point them, and whether they already
 * point here (checked when the page opens, when the domains change and on "Check again").
 */
export function SiteDnsCard({ siteId, siteDeleting }: { siteId: string; siteDeleting: boolean }) {
  const dns = useSiteDns(siteId, !siteDeleting);
  // isPending (no answer yet) reads the same on the server and in the first client render;
  // isFetching does not, so it only shows once there is an answer.
  const checking = !siteDeleting && (dns.isPending || dns.isFetching);
  const status = siteDeleting
    ? "The site is being deleted: its domains need no DNS records any more."
    : dns.isPending
      ? "Looking up your domains…"
      : dns.isFetching
        ? "Checking again…"
        : dns.error
          ? `Could not check DNS: ${dns.error.message}`
          : dns.data
            ? checkSummary(dns.data)
            : "";
  return (
    <Card className="mt-6">
      <CardHeader
        title="DNS"
        description="The records to create where your domain's DNS is managed (often where you registered it), and whether they already point here."
        actions={
          siteDeleting ? null : (
            <Button
              variant="secondary"
              size="sm"
              pending={dns.isFetching && !dns.isPending}
              disabled={dns.isPending}
              onClick={() => void dns.refetch()}
              data-testid="dns-check-again"
            >
              Check again
            </Button>
          )
        }
      />
      <p
        role="status"
        className="flex items-center gap-2 px-5 pt-3 text-xs text-zinc-600 dark:text-zinc-400"
        data-testid="dns-status"
      >
        {checking ? <Spinner /> : null}
        {status}
      </p>
      {dns.data && !siteDeleting ? (
        <>
          {dns.data.loopbackOnly ? (
            <p className="mx-5 mt-3 rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-400/30 dark:bg-sky-400/10 dark:text-sky-100">
              {dns.data.targets.addresses.join(" and ")}{" "}
              {dns.data.targets.addresses.length > 1 ? "are loopback addresses" : "is a loopback address"}:
              this platform runs on one machine, and only that machine reaches a site through such records.
            </p>
          ) : null}
          <ul className="mt-3" aria-label="Domains and their DNS records">
            {dns.data.domains.map((domain) => (
              <DomainDns key={domain.hostname} domain={domain} />
            ))}
          </ul>
        </>
      ) : (
        <div className="h-4" />
      )}
    </Card>
  );
}
