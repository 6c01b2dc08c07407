import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { resetDatabaseUserPassword } from "@/lib/services/database/reset-database-user-password";

export const dynamic = "force-dynamic";

/** Generates a new password: in this response only; 409 if the user is being deleted. */
export const POST = withActor(
  async ({ actor, params }) => {
    const { user, password } = await resetDatabaseUserPassword({
      actor,
      databaseUserId: params.databaseUserId,
    });
    return jsonResponse({ user: toJson(user), password });
  },
  {
    name: "POST /api/v1/database-users/:databaseUserId/password",
    params: z.object({ databaseUserId: idSchema }),
  },
);
