"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { requestAccountTermination } from "@/lib/services/account/request-account-termination";

const run = defineAction({
  name: "account.terminate",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const account = await requestAccountTermination({ actor, accountId: input.accountId, input });
    log.info("account termination requested", { accountId: account.id });
    return toJson(account);
  },
});

export async function terminateAccountAction(input: unknown) {
  return run(input);
}
