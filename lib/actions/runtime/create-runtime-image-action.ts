"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { createRuntimeImage } from "@/lib/services/runtime/create-runtime-image";

const run = defineAction({
  name: "runtime.create",
  schema: z.looseObject({}),
  // The service authorizes first, then parses with the shared createRuntimeImageSchema.
  handler: async ({ actor, input }) => createRuntimeImage({ actor, input }),
});

export async function createRuntimeImageAction(input: unknown) {
  return run(input);
}
