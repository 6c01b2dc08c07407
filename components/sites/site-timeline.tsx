"use client";

import { LocalTime } from "@/components/sites/local-time";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { RefreshError } from "@/components/ui/refresh-error";
import { Spinner } from "@/components/ui/spinner";
import { useSiteTimeline } from "@/lib/query/use-site-timeline";
import type { TimelineEntryView } from "@/lib/services/site/site-timeline";

const SOURCE_LABELS: Record<TimelineEntryView["source"], string> = {
  change: "Change",
  sitepod: "Corrected",
  kubernetes: "Cluster",
};

function sourceTone(entry: TimelineEntryView) {
  if (entry.type === "Warning") return "warning" as const;
  return entry.source === "change" ? ("info" as const) : ("neutral" as const);
}

function Entry({ entry }: { entry: TimelineEntryView }) {
  return (
    <li
      className="flex gap-3 px-5 py-3 text-sm"
      data-testid="timeline-entry"
      data-source={entry.source}
      data-reason={entry.reason}
    >
      <div className="w-24 shrink-0 pt-0.5">
        <Badge tone={sourceTone(entry)}>{SOURCE_LABELS[entry.source]}</Badge>
      </div>
      <div className="min-w-0 flex-1">
        <p className="break-words text-zinc-900 dark:text-zinc-100">{entry.message}</p>
        <p className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-zinc-500 dark:text-zinc-400">
          <LocalTime iso={entry.at} />
          {entry.actorName ? <span>by {entry.actorName}</span> : null}
          {entry.object ? <span className="min-w-0 font-mono break-all">{entry.object}</span> : null}
          {entry.source !== "change" ? (
            <span className="min-w-0 font-mono break-all">{entry.reason}</span>
          ) : null}
          {entry.count > 1 ? <span>{entry.count} times</span> : null}
        </p>
      </div>
    </li>
  );
}

/**
 * What happened to the site: changes made in the panel or the API (who, what), changes made
 * behind Sitepod's back that it put back, and what Kubernetes reported about the site's objects.
 */
export function SiteTimeline({ siteId }: { siteId: string }) {
  const timeline = useSiteTimeline(siteId);
  const entries = timeline.data?.pages.flatMap((p) => p.entries) ?? [];
  return (
    <Card className="mt-6">
      <CardHeader
        title="Activity"
        description="Changes to this site, corrections the platform made, and events from the cluster. Updates live."
      />
      {timeline.isPending ? (
        <p className="flex items-center gap-2 px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">
          <Spinner /> Loading activity…
        </p>
      ) : timeline.isError && entries.length === 0 ? (
        <p role="alert" className="px-5 py-6 text-sm text-amber-700 dark:text-amber-300">
          Could not load the activity: {timeline.error.message} It is tried again shortly.
        </p>
      ) : entries.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">
          Nothing has happened to this site yet.
        </p>
      ) : (
        <>
          <RefreshError error={timeline.isRefetchError ? timeline.error : null} />
          <ol className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Site activity">
            {entries.map((entry) => (
              <Entry key={entry.id} entry={entry} />
            ))}
          </ol>
          {timeline.hasNextPage ? (
            <div className="border-t border-zinc-100 px-5 py-3 dark:border-zinc-800">
              <Button
                variant="secondary"
                onClick={() => void timeline.fetchNextPage()}
                disabled={timeline.isFetchingNextPage}
              >
                {timeline.isFetchingNextPage ? "Loading…" : "Show older activity"}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </Card>
  );
}
