"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Jsonify } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { isTransitional, pollInterval } from "@/lib/query/polling";
import type { ClientSitesPage } from "@/lib/services/site/list-client-sites";

export type ClientSitesPageJson = Jsonify<ClientSitesPage>;

/** One page of the agency view; `query` is the URL query string (filter, search, sort, page). */
export function useClientSites(accountId: string, query: string, initialData?: ClientSitesPageJson) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.sites.clientList(accountId, query),
    queryFn: () =>
      apiFetch<ClientSitesPageJson>(
        `/api/v1/accounts/${encodeURIComponent(accountId)}/client-sites?${query}`,
      ),
    initialData,
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      (q.state.data?.sites ?? []).some((site) => isTransitional(site.phase)) ? pollInterval(live) : false,
  });
}
