import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { deleteDatabase } from "@/lib/services/database/delete-database";
import { getDatabase } from "@/lib/services/database/get-database";

export const dynamic = "force-dynamic";

const params = z.object({ databaseId: idSchema });

export const GET = withActor(
  async ({ actor, params }) => {
    const database = await getDatabase({ actor, databaseId: params.databaseId });
    return jsonResponse({ database: toJson(database) });
  },
  { name: "GET /api/v1/databases/:databaseId", params },
);

/**
 * { confirm: "<the database's full name>" }. Asynchronous: 202 with the database in state
 * DELETING; the reconciler drops it on its server, then it is gone.
 */
export const DELETE = withActor(
  async ({ req, actor, params }) => {
    const database = await deleteDatabase({
      actor,
      databaseId: params.databaseId,
      input: await readJson(req),
    });
    return jsonResponse({ database: toJson(database) }, { status: 202 });
  },
  { name: "DELETE /api/v1/databases/:databaseId", params },
);
