"use client";

import { useQuery } from "@tanstack/react-query";
import type { SiteDomainsJson } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { pollInterval } from "@/lib/query/polling";

/** A certificate on its way: its status changes without the user acting. */
function tlsInFlight(data: SiteDomainsJson | undefined): boolean {
  return (data?.domains ?? []).some((d) => d.tls.state === "pending" || d.tls.state === "unknown");
}

export function useSiteDomains(siteId: string) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.sites.domains(siteId),
    queryFn: () => apiFetch<SiteDomainsJson>(`/api/v1/sites/${encodeURIComponent(siteId)}/domains`),
    // Live updates invalidate the site's detail key, which this key sits under; polling covers a
    // broken stream while a certificate is being issued.
    refetchInterval: (query) =>
      !query.state.error && tlsInFlight(query.state.data) ? pollInterval(live) : false,
  });
}
