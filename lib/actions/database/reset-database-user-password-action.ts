"use server";

import { z } from "zod";
import { defineAction } from "@/lib/actions/safe-action";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { resetDatabaseUserPassword } from "@/lib/services/database/reset-database-user-password";

const run = defineAction({
  name: "database_user.reset_password",
  schema: z.object({ databaseUserId: idSchema }),
  handler: async ({ actor, input }) => {
    const { user, password } = await resetDatabaseUserPassword({
      actor,
      databaseUserId: input.databaseUserId,
    });
    return { user: toJson(user), password };
  },
});

export async function resetDatabaseUserPasswordAction(input: unknown) {
  return run(input);
}
