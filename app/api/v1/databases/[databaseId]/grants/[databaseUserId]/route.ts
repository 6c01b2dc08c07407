import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { revokeDatabaseAccess } from "@/lib/services/database/revoke-database-access";

export const dynamic = "force-dynamic";

/** Asynchronous: 202; the reconciler revokes the grant on the server, then removes it. */
export const DELETE = withActor(
  async ({ actor, params }) => {
    const database = await revokeDatabaseAccess({
      actor,
      databaseId: params.databaseId,
      databaseUserId: params.databaseUserId,
    });
    return jsonResponse({ database: toJson(database) }, { status: 202 });
  },
  {
    name: "DELETE /api/v1/databases/:databaseId/grants/:databaseUserId",
    params: z.object({ databaseId: idSchema, databaseUserId: idSchema }),
  },
);
