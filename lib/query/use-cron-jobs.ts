"use client";

import { useQuery } from "@tanstack/react-query";
import type { CronJobListJson } from "@/lib/api/json";
import { ApiError, apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { pollInterval } from "@/lib/query/polling";

/** The reconciler has yet to act on a change, or a run is under way: the status will change by itself. */
export function cronJobsSettling(list: CronJobListJson | undefined): boolean {
  return (list?.cronJobs ?? []).some(
    (job) =>
      job.observedGeneration < job.generation ||
      job.state === "DELETING" ||
      job.runs[0]?.status === "Running",
  );
}

/**
 * A site's cron jobs. Live updates invalidate it on every CronJob change (status written by the
 * reconciler included); while something is settling it also polls, in case the stream is down.
 */
export function useCronJobs(siteId: string) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.cronJobs.list(siteId),
    queryFn: () => apiFetch<CronJobListJson>(`/api/v1/sites/${encodeURIComponent(siteId)}/cron-jobs`),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
    refetchInterval: (query) =>
      !query.state.error && cronJobsSettling(query.state.data) ? pollInterval(live) : false,
  });
}
