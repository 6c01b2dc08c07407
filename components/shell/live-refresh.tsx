"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { type ChangeEvent, useChanges } from "@/lib/query/live-updates";

/** Changes that come together (a plan saved, its accounts re-measured) refresh the page once. */
const DEBOUNCE_MS = 400;

/**
 * Keeps a server-rendered page live: refreshes its route (server components re-render, client
 * state and form input stay) when the change stream reports a change of one of `kinds`, and after
 * a gap in the stream. Reconciler status reports count only for the kinds in `statusOf` (an account
 * list shows an account's status, not every site's provisioning step).
 */
export function LiveRefresh({
  kinds,
  statusOf = [],
}: {
  kinds: readonly string[];
  statusOf?: readonly string[];
}) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  useChanges((change: ChangeEvent | null) => {
    if (change && !kinds.includes(change.kind)) return;
    if (change?.action === "STATUS" && !statusOf.includes(change.kind)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => router.refresh(), DEBOUNCE_MS);
  });
  return null;
}
