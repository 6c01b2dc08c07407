import Link from "next/link";
import type { Crumb } from "@/components/shell/account-trail";
import { ChevronRightIcon } from "@/components/ui/icons";

/** The way back up: accounts above the current one, the area, the page (the last crumb). */
export function Breadcrumbs({ crumbs }: { crumbs: readonly Crumb[] }) {
  if (crumbs.length === 0) return null;
  return (
    <nav aria-label="Breadcrumb" className="mb-3">
      <ol className="flex flex-wrap items-center gap-x-1.5 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
        {crumbs.map((crumb, i) => (
          <li key={crumb.href ?? "current"} className="flex min-w-0 items-center gap-1.5">
            {i > 0 ? (
              <ChevronRightIcon className="size-3.5 shrink-0 text-zinc-400 dark:text-zinc-500" />
            ) : null}
            {crumb.href ? (
              <Link
                href={crumb.href}
                className="block max-w-[16rem] truncate rounded-sm hover:text-zinc-900 hover:underline dark:hover:text-zinc-100"
              >
                {crumb.label}
              </Link>
            ) : (
              <span
                aria-current="page"
                className="block max-w-[16rem] truncate font-medium text-zinc-800 dark:text-zinc-200"
              >
                {crumb.label}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
