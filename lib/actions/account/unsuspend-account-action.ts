"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { unsuspendAccount } from "@/lib/services/account/unsuspend-account";

const run = defineAction({
  name: "account.unsuspend",
  schema: z.object({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const account = await unsuspendAccount({ actor, accountId: input.accountId });
    log.info("account unsuspended", { accountId: account.id });
    return toJson(account);
  },
});

export async function unsuspendAccountAction(input: unknown) {
  return run(input);
}
