"use client";

import { useQuery } from "@tanstack/react-query";
import type { Jsonify } from "@/lib/api/json";
import { apiFetch } from "@/lib/query/api-client";
import { queryKeys } from "@/lib/query/keys";
import { useLiveStatus } from "@/lib/query/live-updates";
import { pollInterval } from "@/lib/query/polling";
import type { AccountDatabases } from "@/lib/services/database/list-databases";

export type AccountDatabasesJson = Jsonify<AccountDatabases>;

/** States the reconciler is still working on: they change without the user acting. */
const TRANSITIONAL = new Set(["PROVISIONING", "DELETING"]);

export function useDatabases(accountId: string, initialData?: AccountDatabasesJson) {
  const live = useLiveStatus();
  return useQuery({
    queryKey: queryKeys.databases.account(accountId),
    queryFn: () =>
      apiFetch<AccountDatabasesJson>(`/api/v1/accounts/${encodeURIComponent(accountId)}/databases`),
    initialData,
    // Live events do the work; polling covers a broken stream, only while something is changing.
    refetchInterval: (query) => {
      const data = query.state.data;
      const busy =
        data?.databases.some(
          (d) => TRANSITIONAL.has(d.state) || d.grants.some((g) => g.pending || g.revoking),
        ) || data?.users.some((u) => TRANSITIONAL.has(u.state));
      return busy ? pollInterval(live) : false;
    },
  });
}
