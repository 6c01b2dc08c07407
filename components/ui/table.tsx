import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/components/ui/cn";
import { ScrollRegion } from "@/components/ui/scroll-region";

/**
 * A data table in its own sideways-scrolling region. `stack`: on a narrow screen each row becomes a
 * card (app/globals.css, `.table-stack`) whose cells show their column's name from `Td label`.
 */
export function Table({
  children,
  label,
  stack = false,
}: {
  children: ReactNode;
  label: string;
  stack?: boolean;
}) {
  return (
    <ScrollRegion label={label}>
      <table
        className={cn(
          "min-w-full divide-y divide-zinc-200 text-sm dark:divide-zinc-800",
          stack && "table-stack",
        )}
        aria-label={label}
      >
        {children}
      </table>
    </ScrollRegion>
  );
}

export function Th({ className, ...rest }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      scope="col"
      className={cn(
        "bg-zinc-50 px-5 py-2.5 text-left text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:bg-zinc-900/60 dark:text-zinc-400",
        className,
      )}
      {...rest}
    />
  );
}

interface TdProps extends TdHTMLAttributes<HTMLTableCellElement> {
  /** Lets the text wrap (in a stacked row: below its label); otherwise a cell keeps to one line. */
  wrap?: boolean;
  /** The column's name, shown beside the value when a `stack` table shows rows as cards. */
  label?: string;
  /** In a stacked row: the card's title (`primary`) or its buttons (`actions`), shown without a label. */
  cell?: "primary" | "actions";
}

export function Td({ className, wrap = false, label, cell, children, ...rest }: TdProps) {
  return (
    <td
      data-label={label}
      data-cell={cell}
      data-wrap={wrap || undefined}
      className={cn(
        "px-5 py-3 text-zinc-700 dark:text-zinc-300",
        wrap ? "whitespace-normal" : "whitespace-nowrap",
        className,
      )}
      {...rest}
    >
      {/* One box beside the label in a stacked row, however many elements the value has. */}
      {label ? <div className="min-w-0">{children}</div> : children}
    </td>
  );
}

export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800/70">{children}</tbody>;
}
