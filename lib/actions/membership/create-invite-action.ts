"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { createInvite } from "@/lib/services/membership/create-invite";

const run = defineAction({
  name: "membership.invite",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const created = await createInvite({ actor, accountId: input.accountId, input });
    log.info("invite created", { inviteId: created.invite.id });
    return created;
  },
});

export async function createInviteAction(input: unknown) {
  return run(input);
}
