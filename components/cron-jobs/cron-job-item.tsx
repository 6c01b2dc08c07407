"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { CronJobDialog } from "@/components/cron-jobs/cron-job-dialog";
import { describeRun, runTone } from "@/components/cron-jobs/format";
import { SchedulePreview } from "@/components/cron-jobs/schedule-preview";
import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { useToast } from "@/components/ui/toast";
import { deleteCronJobAction } from "@/lib/actions/cron-job/delete-cron-job-action";
import { updateCronJobAction } from "@/lib/actions/cron-job/update-cron-job-action";
import type { CronJobJson } from "@/lib/api/json";
import { queryKeys } from "@/lib/query/keys";

function StateBadge({ job }: { job: CronJobJson }) {
  if (job.state === "DELETING") return <Badge tone="neutral">Deleting</Badge>;
  if (job.state === "PAUSED") return <Badge tone="neutral">Paused</Badge>;
  const ready = job.conditions.find((c) => c.type === "Ready");
  if (job.observedGeneration < job.generation || ready?.status !== "True") {
    return <Badge tone="info">{ready?.reason === "AccountSuspended" ? "Suspended" : "Applying"}</Badge>;
  }
  return <Badge tone="success">Active</Badge>;
}

/** One of the site's cron jobs: schedule, next runs, last runs, output, and its controls. */
export function CronJobItem({
  siteId,
  job,
  canManage,
}: {
  siteId: string;
  job: CronJobJson;
  canManage: boolean;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [showOutput, setShowOutput] = useState(false);
  const [toggling, startToggle] = useTransition();
  const degraded = job.conditions.find((c) => c.type === "Degraded" && c.status === "True");
  const lastRun = job.runs[0];
  const changeable = canManage && job.state !== "DELETING";

  function toggle() {
    startToggle(async () => {
      const result = await updateCronJobAction({ cronJobId: job.id, enabled: !job.enabled });
      if (!result.ok) {
        toast.show({ tone: "error", title: `Cron job ${job.name} not changed`, description: result.message });
        return;
      }
      await queryClient.invalidateQueries({ queryKey: queryKeys.cronJobs.list(siteId) });
    });
  }

  async function remove(): Promise<string | null> {
    const result = await deleteCronJobAction({ cronJobId: job.id });
    if (!result.ok) return result.message;
    await queryClient.invalidateQueries({ queryKey: queryKeys.cronJobs.list(siteId) });
    toast.show({ tone: "info", title: `Deleting cron job ${job.name}`, description: "Its runs stop now." });
    return null;
  }

  return (
    <li className="px-5 py-4" data-testid="cron-job" data-name={job.name}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 space-y-1">
          <div className="flex items-center gap-2">
            <span className="font-medium text-zinc-900 dark:text-zinc-100">{job.name}</span>
            <StateBadge job={job} />
          </div>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {job.scheduleText} (UTC) · <code className="text-xs">{job.schedule}</code>
          </p>
          <p className="truncate font-mono text-xs text-zinc-500 dark:text-zinc-400" title={job.command}>
            $ {job.command}
          </p>
        </div>
        {changeable ? (
          <div className="flex shrink-0 items-center gap-2">
            <Button
              size="sm"
              variant="secondary"
              onClick={toggle}
              pending={toggling}
              data-testid="cron-job-toggle"
            >
              {job.enabled ? "Pause" : "Resume"}
            </Button>
            <Button size="sm" variant="secondary" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setDeleting(true)}>
              Delete
            </Button>
          </div>
        ) : null}
      </div>

      <div className="mt-3 grid gap-4 text-sm sm:grid-cols-2">
        <div>
          <h4 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Next runs
          </h4>
          <div className="mt-1">
            {job.enabled ? (
              <SchedulePreview schedule={job.schedule} />
            ) : (
              <p className="text-zinc-500 dark:text-zinc-400">None while paused.</p>
            )}
          </div>
        </div>
        <div>
          <h4 className="text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Last runs
          </h4>
          {job.runs.length === 0 ? (
            <p className="mt-1 text-zinc-500 dark:text-zinc-400">No runs yet.</p>
          ) : (
            <ul className="mt-1 space-y-1" aria-label={`Last runs of ${job.name}`}>
              {job.runs.slice(0, 5).map((run) => (
                <li key={run.name} className="flex items-center gap-2" data-testid="cron-run">
                  <Badge tone={runTone(run)}>{describeRun(run)}</Badge>
                  {run.startedAt ? (
                    <span className="text-zinc-500 dark:text-zinc-400">
                      <LocalTime iso={run.startedAt} />
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {job.lastScheduleTime || job.lastSuccessfulTime ? (
            <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
              {job.lastScheduleTime ? (
                <>
                  Last scheduled: <LocalTime iso={job.lastScheduleTime} />
                </>
              ) : null}
              {job.lastScheduleTime && job.lastSuccessfulTime ? " · " : null}
              {job.lastSuccessfulTime ? (
                <>
                  Last success: <LocalTime iso={job.lastSuccessfulTime} />
                </>
              ) : null}
            </p>
          ) : null}
        </div>
      </div>

      {degraded ? (
        <p
          role="alert"
          className="mt-3 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-400/10 dark:text-red-300"
          data-testid="cron-job-failing"
        >
          {degraded.message}
        </p>
      ) : null}

      {job.lastOutput !== null ? (
        <div className="mt-3">
          <button
            type="button"
            className="text-sm font-medium text-brand-700 hover:underline dark:text-brand-300"
            aria-expanded={showOutput}
            onClick={() => setShowOutput((v) => !v)}
          >
            {showOutput ? "Hide" : "Show"} output of {job.lastOutputRun ?? "the last run"}
            {lastRun && lastRun.name !== job.lastOutputRun ? " (an earlier run)" : ""}
          </button>
          {showOutput ? (
            <pre
              className="mt-2 max-h-72 overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-xs text-zinc-100"
              data-testid="cron-job-output"
            >
              {job.lastOutput}
            </pre>
          ) : null}
        </div>
      ) : null}

      {editing ? (
        <CronJobDialog siteId={siteId} cronJob={job} open onClose={() => setEditing(false)} />
      ) : null}
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete cron job ${job.name}?`}
        description={
          <p>
            It stops running, and its run history and output are removed. A run in progress is stopped. The
            site's files are not touched.
          </p>
        }
        confirmLabel="Delete cron job"
        danger
        onConfirm={remove}
      />
    </li>
  );
}
