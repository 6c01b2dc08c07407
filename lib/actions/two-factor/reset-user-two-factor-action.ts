"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { resetUserTwoFactor } from "@/lib/services/two-factor/reset-user-two-factor";

const run = defineAction({
  name: "user.reset-two-factor",
  schema: z.object({ userId: idSchema }),
  handler: async ({ actor, input }) => resetUserTwoFactor({ actor, userId: input.userId }),
});

export async function resetUserTwoFactorAction(input: unknown) {
  return run(input);
}
