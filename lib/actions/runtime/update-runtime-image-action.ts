"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { idSchema } from "@/lib/api/params";
import { updateRuntimeImage } from "@/lib/services/runtime/update-runtime-image";

const run = defineAction({
  name: "runtime.update",
  schema: z.looseObject({ runtimeImageId: idSchema }),
  handler: async ({ actor, input }) => {
    // The service authorizes first, then parses the changes with updateRuntimeImageSchema.
    const { runtimeImageId, ...changes } = input;
    return updateRuntimeImage({ actor, runtimeImageId, input: changes });
  },
});

export async function updateRuntimeImageAction(input: unknown) {
  return run(input);
}
