import type { SiteJson } from "@/lib/api/json";

export const APP_LABELS: Record<SiteJson["app"], string> = { WORDPRESS: "WordPress", PHP: "PHP" };

const utcFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Identical on server and client (no local time zone), so it can be rendered before hydration. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "—" : `${utcFormat.format(date)} UTC`;
}

export function formatLocal(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "—";
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(date);
}
