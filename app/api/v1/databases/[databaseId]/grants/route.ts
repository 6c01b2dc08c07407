import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { grantDatabaseAccess } from "@/lib/services/database/grant-database-access";

export const dynamic = "force-dynamic";

/** { userId }: gives one of the account's database users ALL privileges on this database. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const database = await grantDatabaseAccess({
      actor,
      databaseId: params.databaseId,
      input: await readJson(req),
    });
    return jsonResponse({ database: toJson(database) }, { status: 201 });
  },
  { name: "POST /api/v1/databases/:databaseId/grants", params: z.object({ databaseId: idSchema }) },
);
