/**
 * Jobs Sitepod itself runs for a site, listed with the site's own cron jobs but not made of
 * CronJob rows.
 *
 * WordPress's wp-cron (lib/k8s/manifests/wp-cron.ts) is one: WordPress needs it to publish
 * scheduled posts and run updates, so it is part of hosting WordPress, not a job the user chose.
 * It is therefore shown as "managed by Sitepod" and does not count against the plan's
 * maxCronJobs: a plan with maxCronJobs 0 still gets working WordPress sites, and a customer with
 * a limit of 2 gets two jobs of their own, not one. The user cannot edit, pause or delete it (that
 * would silently break WordPress); they can add their own jobs next to it.
 */
import { WP_CRON_EVERY_MINUTES, wpCronSchedule } from "@/lib/k8s/manifests/wp-cron";

export interface BuiltInCronJobView {
  /** Stable within the site; never a CronJob row id. */
  key: string;
  name: string;
  schedule: string;
  scheduleText: string;
  command: string;
  /** False while it is suspended: until WordPress is installed and while the account is suspended. */
  running: boolean;
  /** Why it exists, for the panel. */
  description: string;
}

/** "Every 5 minutes, at 3, 8, 13 ... minutes past the hour": the site's own minutes. */
function everyFewMinutesText(schedule: string): string {
  const first = Number.parseInt(schedule, 10);
  const minutes = [0, 1, 2].map((i) => first + i * WP_CRON_EVERY_MINUTES);
  return `Every ${WP_CRON_EVERY_MINUTES} minutes, at ${minutes.join(", ")} … minutes past the hour`;
}

export function builtInCronJobs(site: {
  id: string;
  app: "WORDPRESS" | "PHP";
  installedAt: Date | null;
  accountSuspended: boolean;
}): BuiltInCronJobView[] {
  if (site.app !== "WORDPRESS") return [];
  const schedule = wpCronSchedule(site.id);
  return [
    {
      key: "wp-cron",
      name: "wp-cron",
      schedule,
      scheduleText: everyFewMinutesText(schedule),
      command: "php wp-cron.php",
      running: site.installedAt !== null && !site.accountSuspended,
      description:
        "WordPress's scheduled tasks (scheduled posts, updates, plugin jobs). Sitepod runs it for every WordPress site; it does not count against your plan.",
    },
  ];
}
