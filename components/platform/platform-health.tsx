"use client";

import Link from "next/link";
import { ENGINE_NAMES } from "@/components/databases/format";
import { LocalTime } from "@/components/sites/local-time";
import { SiteStatusBadge } from "@/components/sites/site-status-badge";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { RefreshError } from "@/components/ui/refresh-error";
import { Table, TBody, Td, Th } from "@/components/ui/table";
import { sectionHref } from "@/lib/glossary";
import { type PlatformHealthJson, usePlatformHealth } from "@/lib/query/use-platform-health";
import { clusterWords, formatAge, type HealthWords, reconcilerWords } from "./health-words";

const PHASE_ORDER = ["RUNNING", "PROVISIONING", "DEGRADED", "SUSPENDED", "DELETING"] as const;

function Status({ words, testId }: { words: HealthWords; testId: string }) {
  return (
    <div className="space-y-1.5">
      <Badge tone={words.tone} data-testid={testId}>
        <span className="size-1.5 rounded-full bg-current" />
        {words.label}
      </Badge>
      <p className="text-sm break-words text-zinc-600 dark:text-zinc-300">{words.detail}</p>
    </div>
  );
}

function Reconciler({ health }: { health: PlatformHealthJson }) {
  const now = new Date(health.checkedAt);
  const { reconciler } = health;
  const instance =
    reconciler.state === "up" ? reconciler.leader : reconciler.state === "down" ? reconciler.last : null;
  const passes = instance ? Object.entries(instance.passes).sort(([a], [b]) => a.localeCompare(b)) : [];
  return (
    <Card>
      <CardHeader title="Reconciler" description="Applies what the panel saves to the cluster." />
      <CardBody className="space-y-4">
        <Status words={reconcilerWords(reconciler, now)} testId="reconciler-status" />
        {reconciler.state === "down" ? (
          <p className="text-sm text-zinc-500 dark:text-zinc-400">
            Last report: <LocalTime iso={reconciler.since} />
          </p>
        ) : null}
        {reconciler.state === "up" ? (
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="reconciler-queue">
            {(
              [
                ["Queue depth", reconciler.leader.queue.total],
                ["Waiting", reconciler.leader.queue.ready],
                ["Backing off", reconciler.leader.queue.delayed],
                ["In progress", `${reconciler.leader.queue.processing} / ${reconciler.leader.workers}`],
              ] as const
            ).map(([label, value]) => (
              <div key={label} className="rounded-lg border border-zinc-200 px-3 py-2 dark:border-zinc-800">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">{label}</dt>
                <dd className="text-lg font-semibold text-zinc-900 tabular-nums dark:text-zinc-100">
                  {value}
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
      </CardBody>
      {passes.length > 0 ? (
        <Table label="Passes per kind since the reconciler started" stack>
          <thead>
            <tr>
              <Th>Kind</Th>
              <Th className="text-right">Passes</Th>
              <Th className="text-right">Failed</Th>
              <Th className="text-right">Average</Th>
            </tr>
          </thead>
          <TBody>
            {passes.map(([kind, tally]) => (
              <tr key={kind}>
                <Td cell="primary" className="font-medium text-zinc-900 dark:text-zinc-100">
                  {kind}
                </Td>
                <Td label="Passes" className="text-right tabular-nums">
                  {tally.count}
                </Td>
                <Td label="Failed" className="text-right tabular-nums">
                  {tally.failed}
                </Td>
                <Td label="Average" className="text-right tabular-nums">
                  {tally.count > 0 ? `${Math.round(tally.ms / tally.count)} ms` : "—"}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      ) : null}
    </Card>
  );
}

function Sites({ health, platformSlug }: { health: PlatformHealthJson; platformSlug: string }) {
  const allSites = sectionHref(platformSlug, "clientSites");
  return (
    <Card>
      <CardHeader title="Sites" description={`${health.sites.total} in all, by status.`} />
      <CardBody>
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-5" data-testid="sites-by-phase">
          {PHASE_ORDER.map((phase) => (
            <li key={phase} data-phase={phase}>
              <Link
                href={`${allSites}?status=${phase}`}
                className="block rounded-lg border border-zinc-200 px-3 py-2 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-800/60"
              >
                <SiteStatusBadge phase={phase} />
                <span className="mt-1 block text-lg font-semibold text-zinc-900 tabular-nums dark:text-zinc-100">
                  {health.sites.byPhase[phase]}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      </CardBody>
    </Card>
  );
}

function DegradedSites({ health }: { health: PlatformHealthJson }) {
  const { degradedSites } = health;
  const more = health.sites.byPhase.DEGRADED - degradedSites.length;
  return (
    <Card>
      <CardHeader
        title="Degraded sites"
        description={
          more > 0
            ? `The ${degradedSites.length} most recently changed of ${health.sites.byPhase.DEGRADED}.`
            : "Sites the reconciler cannot bring up, with its reason."
        }
      />
      {degradedSites.length === 0 ? (
        <EmptyState
          title="No degraded site"
          description="Every site is running, being set up, or suspended."
        />
      ) : (
        <Table label="Degraded sites" stack>
          <thead>
            <tr>
              <Th>Site</Th>
              <Th>Account</Th>
              <Th>Reason</Th>
              <Th>Since</Th>
            </tr>
          </thead>
          <TBody>
            {degradedSites.map((site) => (
              <tr key={site.id} data-testid="degraded-site" data-site={site.name}>
                <Td cell="primary">
                  <Link
                    href={`/accounts/${site.accountSlug}/sites/${site.id}`}
                    className="font-medium text-brand-700 underline-offset-2 hover:underline dark:text-brand-300"
                  >
                    {site.name}
                  </Link>
                </Td>
                <Td label="Account">{site.accountName}</Td>
                <Td label="Reason" wrap className="min-w-64 max-sm:min-w-0">
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">
                    {site.reason ?? "Unknown"}
                  </span>
                  {site.message ? (
                    <span className="block text-xs break-words text-zinc-500 dark:text-zinc-400">
                      {site.message}
                    </span>
                  ) : null}
                </Td>
                <Td label="Since" className="text-zinc-500 dark:text-zinc-400">
                  {site.since ? <LocalTime iso={site.since} /> : "—"}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

function DatabaseServers({ health }: { health: PlatformHealthJson }) {
  const now = Date.parse(health.checkedAt);
  return (
    <Card>
      <CardHeader
        title="Database servers"
        description="As the reconciler last reached them (it checks each one every minute)."
      />
      {health.databaseServers.length === 0 ? (
        <EmptyState title="No database server" description="None is registered yet." />
      ) : (
        <Table label="Database servers' reachability" stack>
          <thead>
            <tr>
              <Th>Server</Th>
              <Th>Status</Th>
              <Th>Checked</Th>
            </tr>
          </thead>
          <TBody>
            {health.databaseServers.map((server) => (
              <tr key={server.id} data-testid="database-server-health" data-name={server.name}>
                <Td cell="primary">
                  <span className="font-medium text-zinc-900 dark:text-zinc-100">{server.name}</span>
                  <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">
                    {ENGINE_NAMES[server.engine]}
                  </span>
                </Td>
                <Td label="Status" wrap>
                  {server.reachable === null ? (
                    <Badge tone="neutral">Not checked yet</Badge>
                  ) : server.reachable ? (
                    <Badge tone="success">Reachable</Badge>
                  ) : (
                    <Badge tone="danger">Unreachable</Badge>
                  )}
                  {!server.enabled ? <Badge className="ml-1">Disabled</Badge> : null}
                  {server.statusMessage ? (
                    <span className="mt-1 block text-xs break-words text-zinc-500 dark:text-zinc-400">
                      {server.statusMessage}
                    </span>
                  ) : null}
                </Td>
                <Td label="Checked" className="text-zinc-500 dark:text-zinc-400">
                  {server.lastCheckedAt ? `${formatAge(now - Date.parse(server.lastCheckedAt))} ago` : "—"}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}

/** The platform operator's health page, asked again every few seconds. */
export function PlatformHealth({
  initial,
  platformSlug,
}: {
  initial: PlatformHealthJson;
  platformSlug: string;
}) {
  const { data: health, error } = usePlatformHealth(initial);
  return (
    <div className="space-y-6" data-testid="platform-health">
      <RefreshError error={error} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Reconciler health={health} />
        <Card>
          <CardHeader title="Cluster" description="The Kubernetes API server, as the panel reaches it." />
          <CardBody>
            <Status words={clusterWords(health.cluster)} testId="cluster-status" />
          </CardBody>
        </Card>
      </div>
      <Sites health={health} platformSlug={platformSlug} />
      <DegradedSites health={health} />
      <DatabaseServers health={health} />
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Checked <LocalTime iso={health.checkedAt} />; refreshed every 5 seconds.
      </p>
    </div>
  );
}
