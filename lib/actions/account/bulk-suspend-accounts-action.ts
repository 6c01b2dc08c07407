"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { bulkSuspendAccounts } from "@/lib/services/account/bulk-suspend-accounts";

const run = defineAction({
  name: "account.bulkSuspend",
  schema: z.looseObject({ parentId: idSchema }),
  handler: async ({ actor, input, log }) => {
    // The service parses accountIds and reason with the shared bulkSuspendAccountsSchema.
    const outcome = await bulkSuspendAccounts({ actor, parentId: input.parentId, input });
    log.info("accounts suspended in bulk", { succeeded: outcome.succeeded, failed: outcome.failed });
    return toJson(outcome);
  },
});

export async function bulkSuspendAccountsAction(input: unknown) {
  return run(input);
}
