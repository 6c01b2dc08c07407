"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { revokeInvite } from "@/lib/services/membership/revoke-invite";

const run = defineAction({
  name: "membership.revoke_invite",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input }) => {
    await revokeInvite({ actor, accountId: input.accountId, input });
    return null;
  },
});

export async function revokeInviteAction(input: unknown) {
  return run(input);
}
