"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { removeBrandLogo } from "@/lib/services/brand/remove-brand-logo";

const run = defineAction({
  name: "brand.removeLogo",
  schema: z.object({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const brand = await removeBrandLogo({ actor, accountId: input.accountId });
    log.info("brand logo removed", { accountId: input.accountId });
    return toJson(brand);
  },
});

export async function removeBrandLogoAction(input: unknown) {
  return run(input);
}
