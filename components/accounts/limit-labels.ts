import type { LimitKey } from "@/lib/validation/plan";

/** How each limit is labelled in forms and usage bars. */
export const LIMIT_LABELS: Record<LimitKey, { label: string; unit?: string }> = {
  maxSites: { label: "Sites" },
  maxDomains: { label: "Domains" },
  maxDatabases: { label: "Databases" },
  maxCronJobs: { label: "Cron jobs" },
  storageGiB: { label: "Storage", unit: "GiB" },
  cpuMillicores: { label: "CPU", unit: "millicores" },
  memoryMiB: { label: "Memory", unit: "MiB" },
  backupsKept: { label: "Backups kept" },
};
