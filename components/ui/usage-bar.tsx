import { cn } from "@/components/ui/cn";

/** One quota: what is used against what is allowed; amber from 80 %, red when full or over. */
export function UsageBar({
  label,
  used,
  limit,
  unit,
  format,
}: {
  label: string;
  used: number;
  /** Null: unlimited. */
  limit: number | null;
  unit?: string;
  /** How an amount reads ("0.5 vCPU"); overrides `unit`. */
  format?: (amount: number) => string;
}) {
  const ratio = limit === null ? 0 : limit === 0 ? (used > 0 ? 1 : 0) : used / limit;
  const percent = Math.min(100, Math.round(ratio * 100));
  const tone = ratio >= 1 ? "bg-red-500" : ratio >= 0.8 ? "bg-amber-500" : "bg-brand-600";
  const show = format ?? ((amount: number) => (unit ? `${amount} ${unit}` : String(amount)));
  return (
    <div data-testid="usage-bar" data-label={label}>
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium text-zinc-800 dark:text-zinc-200">{label}</span>
        <span className="text-zinc-500 tabular-nums dark:text-zinc-400" data-testid="usage-value">
          {show(used)} / {limit === null ? "unlimited" : show(limit)}
        </span>
      </div>
      <div
        className="mt-1.5 h-2 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800"
        // The figures above say it in words; the bar only shows it.
        aria-hidden="true"
      >
        <div className={cn("h-full rounded-full transition-all", tone)} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
