"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import type { AccountQuotaView } from "@/lib/services/quota/get-account-quota";

/** The account's plan and usage, refreshed by the live change stream (keysForChange). */
export function useAccountQuota(accountId: string, initialData?: AccountQuotaView) {
  return useQuery({
    queryKey: queryKeys.quota.account(accountId),
    queryFn: () => apiFetch<AccountQuotaView>(`/api/v1/accounts/${encodeURIComponent(accountId)}/quota`),
    initialData,
  });
}
