"use client";

import { useQuery } from "@tanstack/react-query";
import type { SiteJson } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { isTransitional, pollInterval } from "@/lib/query/polling";

export function useSites(accountId: string, initialData?: SiteJson[]) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.sites.list(accountId),
    queryFn: async () =>
      (await apiFetch<{ sites: SiteJson[] }>(`/api/v1/accounts/${encodeURIComponent(accountId)}/sites`))
        .sites,
    initialData,
    // Polling is the fallback for live events: only while something is changing, and rarely when the
    // event stream is connected.
    refetchInterval: (query) =>
      (query.state.data ?? []).some((site) => isTransitional(site.phase)) ? pollInterval(live) : false,
  });
}
