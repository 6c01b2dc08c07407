"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { prisma } from "@/lib/db";
import { acceptInvite } from "@/lib/services/membership/accept-invite";

const run = defineAction({
  name: "membership.accept",
  schema: z.looseObject({}),
  handler: async ({ actor, input, log }) => {
    const accepted = await acceptInvite({ actor, input });
    const account = await prisma.account.findUnique({
      where: { id: accepted.accountId },
      select: { slug: true },
    });
    log.info("invite accepted", { accountId: accepted.accountId });
    return { ...accepted, accountSlug: account?.slug ?? null };
  },
});

export async function acceptInviteAction(input: unknown) {
  return run(input);
}
