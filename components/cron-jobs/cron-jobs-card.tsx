"use client";

import { useState } from "react";
import { CronJobDialog } from "@/components/cron-jobs/cron-job-dialog";
import { CronJobItem } from "@/components/cron-jobs/cron-job-item";
import { describeUsage, SCHEDULE_TIME_ZONE_NOTE } from "@/components/cron-jobs/format";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { PlusIcon } from "@/components/ui/icons";
import { Spinner } from "@/components/ui/spinner";
import type { CronJobListJson } from "@/lib/api/json";
import { useCronJobs } from "@/lib/query/use-cron-jobs";

function BuiltInItem({ job }: { job: CronJobListJson["builtIn"][number] }) {
  return (
    <li className="px-5 py-4" data-testid="cron-job-built-in" data-name={job.name}>
      <div className="flex items-center gap-2">
        <span className="font-medium text-zinc-900 dark:text-zinc-100">{job.name}</span>
        <Badge tone="info">Managed by Sitepod</Badge>
        {job.running ? null : <Badge tone="neutral">Waiting</Badge>}
      </div>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
        {job.scheduleText} · <code className="text-xs">{job.schedule}</code> ·{" "}
        <code className="text-xs">{job.command}</code>
      </p>
      <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
        {job.description}
        {job.running
          ? ""
          : " It starts once WordPress is installed (and not while the account is suspended)."}
      </p>
    </li>
  );
}

/** The site page's "Cron jobs" card: the site's jobs, WordPress's built-in one, plan usage, controls. */
export function CronJobsCard({ siteId, siteDeleting }: { siteId: string; siteDeleting: boolean }) {
  const { data, error, isPending } = useCronJobs(siteId);
  const [creating, setCreating] = useState(false);
  const usage = data?.usage;
  const full = usage ? usage.limit !== null && usage.used >= usage.limit : false;
  // A site being deleted takes its cron jobs with it: nothing about them can change any more.
  const canCreate = Boolean(data?.canManage) && !siteDeleting;

  return (
    <Card className="mt-6">
      <CardHeader
        title="Cron jobs"
        description={
          usage ? (
            <span data-testid="cron-usage">
              {describeUsage(usage)} in this account
              {usage.planName ? ` (plan ${usage.planName})` : ""}
            </span>
          ) : (
            "Commands this site runs on a schedule."
          )
        }
        actions={
          canCreate ? (
            <Button
              size="sm"
              onClick={() => setCreating(true)}
              disabled={full}
              title={
                full ? "Your plan's cron jobs are all in use: delete one or upgrade the plan." : undefined
              }
            >
              <PlusIcon className="size-4" />
              New cron job
            </Button>
          ) : null
        }
      />
      {isPending ? (
        <div className="flex justify-center px-5 py-6">
          <Spinner />
        </div>
      ) : error || !data ? (
        <p role="alert" className="px-5 py-6 text-sm text-red-700 dark:text-red-300">
          The cron jobs could not be loaded{error instanceof Error ? `: ${error.message}` : "."}
        </p>
      ) : (
        <>
          {data.builtIn.length === 0 && data.cronJobs.length === 0 ? (
            <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">
              No cron jobs yet.{canCreate ? " Add one to run a command on a schedule." : ""}
            </p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Cron jobs">
              {data.builtIn.map((job) => (
                <BuiltInItem key={job.key} job={job} />
              ))}
              {data.cronJobs.map((job) => (
                <CronJobItem key={job.id} siteId={siteId} job={job} canManage={canCreate} />
              ))}
            </ul>
          )}
          {full && canCreate ? (
            <p className="border-t border-zinc-100 px-5 py-3 text-xs text-amber-700 dark:border-zinc-800 dark:text-amber-300">
              Your plan allows {usage?.limit === 1 ? "1 cron job" : `${usage?.limit} cron jobs`} and all are
              in use. Delete one or ask your provider for a larger plan.
            </p>
          ) : null}
          <p className="border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
            {SCHEDULE_TIME_ZONE_NOTE}
          </p>
        </>
      )}
      {creating ? <CronJobDialog siteId={siteId} open onClose={() => setCreating(false)} /> : null}
    </Card>
  );
}
