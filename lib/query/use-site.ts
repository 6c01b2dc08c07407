"use client";

import { useQuery } from "@tanstack/react-query";
import type { SiteJson } from "@/lib/api/json";
import { ApiError, apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { isTransitional, pollInterval } from "@/lib/query/polling";

export function useSite(siteId: string, initialData?: SiteJson) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.sites.detail(siteId),
    queryFn: async () =>
      (await apiFetch<{ site: SiteJson }>(`/api/v1/sites/${encodeURIComponent(siteId)}`)).site,
    initialData,
    // A 404 means the site is gone (deleted); retrying will not bring it back.
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 3,
    refetchInterval: (query) => {
      if (query.state.error) return false;
      const phase = query.state.data?.phase;
      return phase && isTransitional(phase) ? pollInterval(live) : false;
    },
  });
}
