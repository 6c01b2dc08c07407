import type { BadgeTone } from "@/components/ui/badge";
import type { CronJobJson } from "@/lib/api/json";
import { CRON_TIME_ZONE, cronScheduleProblem, describeSchedule, nextRuns } from "@/lib/validation/cron-job";

type Run = CronJobJson["runs"][number];

const utc = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});

/** "Tue 1 Dec, 03:00 UTC": schedules run in UTC, so that is the time said first. */
export function formatRunTimeUtc(date: Date): string {
  return `${utc.format(date)} UTC`;
}

/** The same moment in the browser's time zone, e.g. "Tue 1 Dec, 04:00" (undefined: the default zone). */
export function formatRunTimeLocal(date: Date, timeZone?: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
}

export interface SchedulePreview {
  /** Why the schedule cannot run, or null. */
  problem: string | null;
  /** In words, e.g. "At 03:00, Monday through Friday". */
  text: string | null;
  next: Date[];
}

/** What the form shows while the user types a schedule. */
export function previewSchedule(schedule: string, now: Date, count = 3): SchedulePreview {
  const normalised = schedule.trim().replace(/\s+/g, " ");
  const problem = cronScheduleProblem(normalised);
  if (problem) return { problem, text: null, next: [] };
  return { problem: null, text: describeSchedule(normalised), next: nextRuns(normalised, count, now) };
}

export const SCHEDULE_TIME_ZONE_NOTE = `Schedules run in UTC (${CRON_TIME_ZONE}): accounts have no time zone setting yet. Times are shown in UTC, with your browser's time alongside.`;

export function runTone(run: Pick<Run, "status">): BadgeTone {
  return run.status === "Succeeded" ? "success" : run.status === "Failed" ? "danger" : "info";
}

/** "Succeeded (exit 0)", "Failed (exit 3, OOMKilled)", "Running". */
export function describeRun(run: Pick<Run, "status" | "exitCode" | "reason">): string {
  const details = [run.exitCode !== null ? `exit ${run.exitCode}` : null, run.reason].filter(Boolean);
  return details.length > 0 ? `${run.status} (${details.join(", ")})` : run.status;
}

/** "2 of 5 cron jobs", "1 cron job (no limit)". */
export function describeUsage(usage: { used: number; limit: number | null }): string {
  const noun = (n: number) => (n === 1 ? "cron job" : "cron jobs");
  if (usage.limit === null) return `${usage.used} ${noun(usage.used)} (no limit)`;
  return `${usage.used} of ${usage.limit} ${noun(usage.limit)}`;
}
