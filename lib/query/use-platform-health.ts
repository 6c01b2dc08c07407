"use client";

import { useQuery } from "@tanstack/react-query";
import type { Jsonify } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import type { PlatformHealthView } from "@/lib/services/platform/get-platform-health";

export type PlatformHealthJson = Jsonify<PlatformHealthView>;

/**
 * How often the health page asks again. The reconciler's heartbeat and the cluster's answers are
 * no changes of the change log, so the page polls rather than waiting for the event stream.
 */
export const PLATFORM_HEALTH_POLL_MS = 5_000;

export function usePlatformHealth(initialData: PlatformHealthJson) {
  return useQuery({
    queryKey: queryKeys.platform.health(),
    queryFn: async () => (await apiFetch<{ health: PlatformHealthJson }>("/api/v1/platform/health")).health,
    initialData,
    // The server rendered it just now: the first poll comes after the interval.
    initialDataUpdatedAt: () => Date.parse(initialData.checkedAt),
    refetchInterval: PLATFORM_HEALTH_POLL_MS,
    refetchIntervalInBackground: false,
    retry: false,
  });
}
