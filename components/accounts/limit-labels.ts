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

/** Up to two decimals, without trailing zeros: 0.5, 0.12, 1.07, 2. */
function decimal(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/**
 * A limit's amount in the unit people read: CPU in vCPU (1000 millicores), memory in GiB from
 * 1 GiB up, storage in GiB; counts as they are. The plan form keeps the exact units it stores.
 */
export function formatQuantity(key: LimitKey, value: number): string {
  switch (key) {
    case "cpuMillicores":
      return `${decimal(value / 1000)} vCPU`;
    case "memoryMiB":
      return Math.abs(value) >= 1024 ? `${decimal(value / 1024)} GiB` : `${value} MiB`;
    case "storageGiB":
      return `${value} GiB`;
    default:
      return String(value);
  }
}
