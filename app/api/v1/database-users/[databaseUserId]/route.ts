import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { deleteDatabaseUser } from "@/lib/services/database/delete-database-user";

export const dynamic = "force-dynamic";

/** Asynchronous: 202 with the user in state DELETING; the reconciler drops it on its server. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const user = await deleteDatabaseUser({ actor, databaseUserId: params.databaseUserId });
    return jsonResponse({ user: toJson(user) }, { status: 202 });
  },
  { name: "DELETE /api/v1/database-users/:databaseUserId", params: z.object({ databaseUserId: idSchema }) },
);
