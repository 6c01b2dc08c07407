"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { createAccount } from "@/lib/services/account/create-account";
import { createOwnerInvite } from "@/lib/services/membership/create-owner-invite";

const run = defineAction({
  name: "account.create",
  schema: z.looseObject({ parentId: idSchema }),
  handler: async ({ actor, input, log }) => {
    const account = await createAccount({ actor, parentId: input.parentId, input });
    // The new account has no member yet: its owner joins through a link shown once.
    const { token } = await createOwnerInvite({ actor, accountId: account.id });
    log.info("account created", { accountId: account.id });
    return { account: toJson(account), ownerInviteToken: token };
  },
});

export async function createAccountAction(input: unknown) {
  return run(input);
}
