"use client";

import { useEffect, useState } from "react";
import { formatUtc } from "@/components/sites/format";

function parts(iso: string, timeZone?: string): { date: string; time: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { date: "—", time: "" };
  return {
    date: new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone }).format(date),
    time: new Intl.DateTimeFormat(undefined, { timeStyle: "short", timeZone }).format(date),
  };
}

/**
 * A date for the narrow columns of the token list: the day, and the time on a second line when
 * asked (with `after` beside it, e.g. an address). UTC on the server and in the first client render
 * (hydration matches), then the browser's time zone; the full time in the tooltip.
 */
export function TokenDate({
  iso,
  withTime = false,
  after,
}: {
  iso: string;
  withTime?: boolean;
  after?: string;
}) {
  const [shown, setShown] = useState(() => parts(iso, "UTC"));
  useEffect(() => setShown(parts(iso)), [iso]);
  return (
    <time dateTime={iso} title={formatUtc(iso)} className="block">
      <span className="block">{shown.date}</span>
      {withTime || after ? (
        <span className="block text-xs text-zinc-500 dark:text-zinc-400">
          {[withTime ? shown.time : null, after].filter(Boolean).join(" · ")}
        </span>
      ) : null}
    </time>
  );
}
