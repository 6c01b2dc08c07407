"use client";

import { useEffect, useState } from "react";
import { formatRunTimeLocal, formatRunTimeUtc, previewSchedule } from "@/components/cron-jobs/format";

/**
 * The schedule in words and its next runs, in UTC (where Kubernetes runs it) and in the browser's
 * time zone. Renders nothing until mounted: "now" differs between server and browser.
 */
export function SchedulePreview({ schedule, count = 3 }: { schedule: string; count?: number }) {
  const [now, setNow] = useState<Date | null>(null);
  useEffect(() => setNow(new Date()), []);
  if (!now) return null;
  const preview = previewSchedule(schedule, now, count);
  if (preview.problem || preview.next.length === 0) return null;
  return (
    <div className="text-sm" data-testid="schedule-preview">
      <p className="font-medium text-zinc-800 dark:text-zinc-200" data-testid="schedule-text">
        {preview.text} (UTC)
      </p>
      <ul className="mt-1 space-y-0.5 text-zinc-600 dark:text-zinc-400" aria-label="Next runs">
        {preview.next.map((date) => (
          <li key={date.toISOString()} data-testid="next-run">
            <time dateTime={date.toISOString()}>{formatRunTimeUtc(date)}</time>
            <span className="text-zinc-400 dark:text-zinc-500"> · {formatRunTimeLocal(date)} your time</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
