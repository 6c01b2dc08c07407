"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTransition } from "react";
import type { ActionResult } from "@/lib/actions/safe-action";
import type { SiteDomainsJson } from "@/lib/api/json";
import { queryKeys } from "@/lib/query/keys";

/**
 * Runs a domain server action and, on success, puts its answer (the site's domains as they are
 * now) in the cache and refreshes the site (its generation moved). Answers the failed result.
 */
export function useDomainMutation(siteId: string) {
  const queryClient = useQueryClient();
  const [pending, startTransition] = useTransition();
  function run(
    action: () => Promise<ActionResult<SiteDomainsJson>>,
    after: (result: ActionResult<SiteDomainsJson>) => void,
  ) {
    startTransition(async () => {
      const result = await action();
      if (result.ok) {
        queryClient.setQueryData(queryKeys.sites.domains(siteId), result.data);
        await queryClient.invalidateQueries({ queryKey: queryKeys.sites.detail(siteId), exact: true });
      }
      after(result);
    });
  }
  return { pending, run };
}
