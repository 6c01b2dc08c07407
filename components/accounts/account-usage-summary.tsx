import { formatQuantity, LIMIT_LABELS } from "@/components/accounts/limit-labels";
import { cn } from "@/components/ui/cn";
import type { Usage } from "@/lib/quota/limits";
import type { LimitKey, Limits } from "@/lib/validation/plan";

/** The limits a provider looks at first, besides sites (a column of its own). */
const SHOWN: readonly LimitKey[] = ["maxDomains", "maxDatabases", "storageGiB"];

/**
 * What an account uses against its plan, one line per main limit: "Domains 2 / 10". Amber from
 * 80 %, red when full or over (as the usage bars), and said in words for screen readers.
 */
export function AccountUsageSummary({ usage, limits }: { usage: Usage; limits: Limits | null }) {
  return (
    <dl className="grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5 text-xs" data-testid="account-usage">
      {SHOWN.map((key) => {
        const used = usage[key];
        const limit = limits ? limits[key] : null;
        const ratio = limit === null ? 0 : limit === 0 ? (used > 0 ? 1 : 0) : used / limit;
        return (
          <div key={key} className="contents" data-usage={key}>
            <dt className="text-zinc-500 dark:text-zinc-400">{LIMIT_LABELS[key].label}</dt>
            <dd
              className={cn(
                "tabular-nums",
                ratio >= 1
                  ? "font-medium text-red-700 dark:text-red-400"
                  : ratio >= 0.8
                    ? "text-amber-800 dark:text-amber-300"
                    : "text-zinc-700 dark:text-zinc-300",
              )}
            >
              {formatQuantity(key, used)} /{" "}
              {limit === null ? (
                <>
                  <span aria-hidden="true">∞</span>
                  <span className="sr-only">unlimited</span>
                </>
              ) : (
                formatQuantity(key, limit)
              )}
              {ratio >= 1 ? <span className="sr-only"> (full)</span> : null}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
