"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { transferOwnership } from "@/lib/services/membership/transfer-ownership";

const run = defineAction({
  name: "membership.transferOwnership",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    await transferOwnership({ actor, accountId: input.accountId, input });
    log.info("ownership transferred", { accountId: input.accountId });
    return null;
  },
});

export async function transferOwnershipAction(input: unknown) {
  return run(input);
}
