"use client";

import { useEffect, useState } from "react";
import { formatLocal, formatUtc } from "@/components/sites/format";

/**
 * Renders UTC on the server and in the first client render (so hydration matches), then switches to
 * the browser's time zone.
 */
export function LocalTime({ iso }: { iso: string }) {
  const [text, setText] = useState(() => formatUtc(iso));
  useEffect(() => setText(formatLocal(iso)), [iso]);
  return (
    <time dateTime={iso} title={formatUtc(iso)}>
      {text}
    </time>
  );
}
