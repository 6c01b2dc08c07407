"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { setBrandLogo } from "@/lib/services/brand/set-brand-logo";

const run = defineAction({
  name: "brand.setLogo",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    // The service parses and checks the image (brandLogoSchema, checkLogo).
    const brand = await setBrandLogo({ actor, accountId: input.accountId, input });
    log.info("brand logo set", { accountId: input.accountId });
    return toJson(brand);
  },
});

export async function setBrandLogoAction(input: unknown) {
  return run(input);
}
