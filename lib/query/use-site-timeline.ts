"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import type { SiteTimelineView } from "@/lib/services/site/site-timeline";

/** Cluster events arrive without a change of the site; the first page is fetched again this often. */
const TIMELINE_REFRESH_MS = 15_000;

/**
 * The site's timeline, a page at a time. Its key lies under the site's detail key, so every live
 * change of the site (its status, a correction the reconciler made) refreshes it too.
 */
export function useSiteTimeline(siteId: string) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.sites.detail(siteId), "timeline"] as const,
    queryFn: ({ pageParam }) =>
      apiFetch<SiteTimelineView>(
        `/api/v1/sites/${encodeURIComponent(siteId)}/timeline${pageParam ? `?before=${encodeURIComponent(pageParam)}` : ""}`,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next ?? undefined,
    refetchInterval: TIMELINE_REFRESH_MS,
  });
}
