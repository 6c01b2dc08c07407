import type { BadgeTone } from "@/components/ui/badge";

/** "12.3 MB" from a byte count sent as a decimal string; "—" before the first observation. */
export function formatBytes(bytes: string | null): string {
  if (bytes === null) return "—";
  const n = Number(bytes);
  if (!Number.isFinite(n)) return bytes;
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export const STATE_LABELS: Record<string, { label: string; tone: BadgeTone }> = {
  READY: { label: "Ready", tone: "success" },
  PROVISIONING: { label: "Creating", tone: "info" },
  DEGRADED: { label: "Degraded", tone: "danger" },
  DELETING: { label: "Deleting", tone: "warning" },
};

export const ENGINE_NAMES: Record<string, string> = { MYSQL: "MySQL / MariaDB", POSTGRESQL: "PostgreSQL" };
