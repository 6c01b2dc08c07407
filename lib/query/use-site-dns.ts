"use client";

import { useQuery } from "@tanstack/react-query";
import type { Jsonify } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import type { SiteDnsView } from "@/lib/services/site/check-site-dns";

export type SiteDnsJson = Jsonify<SiteDnsView>;

/**
 * The site's DNS records and whether they already point here. Each fetch looks the domains up, so
 * it is not polled: it runs when the page opens, when the site or its domains change (not on
 * status reports; see queryKeys.dns) and when the owner asks ("Check again").
 */
export function useSiteDns(siteId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: queryKeys.dns.site(siteId),
    queryFn: () => apiFetch<SiteDnsJson>(`/api/v1/sites/${encodeURIComponent(siteId)}/dns`),
    // Another component of the page (the status summary) reads the same answer: one lookup.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
    retry: false,
  });
}
