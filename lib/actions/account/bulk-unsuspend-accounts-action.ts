"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { bulkUnsuspendAccounts } from "@/lib/services/account/bulk-unsuspend-accounts";

const run = defineAction({
  name: "account.bulkUnsuspend",
  schema: z.looseObject({ parentId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const outcome = await bulkUnsuspendAccounts({ actor, parentId: input.parentId, input });
    log.info("accounts unsuspended in bulk", { succeeded: outcome.succeeded, failed: outcome.failed });
    return toJson(outcome);
  },
});

export async function bulkUnsuspendAccountsAction(input: unknown) {
  return run(input);
}
