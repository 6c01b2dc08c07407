"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { removeBrand } from "@/lib/services/brand/remove-brand";

const run = defineAction({
  name: "brand.remove",
  schema: z.object({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    await removeBrand({ actor, accountId: input.accountId });
    log.info("brand removed", { accountId: input.accountId });
    return { accountId: input.accountId };
  },
});

export async function removeBrandAction(input: unknown) {
  return run(input);
}
