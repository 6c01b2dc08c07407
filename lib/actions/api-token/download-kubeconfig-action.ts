"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { createKubeconfig } from "@/lib/services/api-token/create-kubeconfig";

const run = defineAction({
  name: "apiToken.downloadKubeconfig",
  schema: z.looseObject({ accountId: idSchema }),
  handler: async ({ actor, input }) => {
    const { accountId, ...rest } = input;
    return createKubeconfig({ actor, accountId, input: rest });
  },
});

/**
 * { accountId, role?, expiresInDays? }: a kubeconfig with a fresh API token for the caller on the
 * account, as text for the browser to save (its token is in this answer only).
 */
export async function downloadKubeconfigAction(input: unknown) {
  return run(input);
}
