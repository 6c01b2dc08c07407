"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { setAllotment } from "@/lib/services/account/set-allotment";

const run = defineAction({
  name: "account.setAllotment",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const { accountId, ...fields } = input;
    const allotment = await setAllotment({ actor, accountId, input: fields });
    log.info("allotment set", { accountId });
    return allotment;
  },
});

export async function setAllotmentAction(input: unknown) {
  return run(input);
}
