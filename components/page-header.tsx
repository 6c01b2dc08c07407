import type { ReactNode } from "react";
import type { Crumb } from "@/components/shell/account-trail";
import { Breadcrumbs } from "@/components/shell/breadcrumbs";

export function PageHeader({
  title,
  description,
  actions,
  breadcrumbs = [],
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  /** The way back up (components/shell/account-trail.ts); none on a top-level page. */
  breadcrumbs?: readonly Crumb[];
}) {
  return (
    <div className="mb-6">
      <Breadcrumbs crumbs={breadcrumbs} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{title}</h1>
          {description ? (
            <div className="mt-1 text-sm break-words text-zinc-500 dark:text-zinc-400">{description}</div>
          ) : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
    </div>
  );
}
