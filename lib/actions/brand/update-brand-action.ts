"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { updateBrand } from "@/lib/services/brand/update-brand";

const run = defineAction({
  name: "brand.update",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    // The service parses name, colour and hostname with the shared updateBrandSchema.
    const { accountId, ...fields } = input;
    const brand = await updateBrand({ actor, accountId, input: fields });
    log.info("brand updated", { accountId });
    return toJson(brand);
  },
});

export async function updateBrandAction(input: unknown) {
  return run(input);
}
