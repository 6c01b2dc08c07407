"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { suspendAccount } from "@/lib/services/account/suspend-account";

const run = defineAction({
  name: "account.suspend",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const account = await suspendAccount({ actor, accountId: input.accountId, input });
    log.info("account suspended", { accountId: account.id });
    return toJson(account);
  },
});

export async function suspendAccountAction(input: unknown) {
  return run(input);
}
