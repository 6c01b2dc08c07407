"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { removeMember } from "@/lib/services/membership/remove-member";

const run = defineAction({
  name: "membership.remove",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    await removeMember({ actor, accountId: input.accountId, input });
    log.info("member removed", { accountId: input.accountId });
    return null;
  },
});

export async function removeMemberAction(input: unknown) {
  return run(input);
}
