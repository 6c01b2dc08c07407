"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { resendInvite } from "@/lib/services/membership/resend-invite";

const run = defineAction({
  name: "membership.resend_invite",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input }) => resendInvite({ actor, accountId: input.accountId, input }),
});

export async function resendInviteAction(input: unknown) {
  return run(input);
}
