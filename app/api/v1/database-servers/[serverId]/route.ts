import { z } from "zod";
import { toJson } from "@/lib/api/json";
import { idSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { updateDatabaseServer } from "@/lib/services/database/update-database-server";

export const dynamic = "force-dynamic";

/** Changes a server; a missing adminPassword keeps the stored one. */
export const PATCH = withActor(
  async ({ req, actor, params }) => {
    const server = await updateDatabaseServer({
      actor,
      serverId: params.serverId,
      input: await readJson(req),
    });
    return jsonResponse({ server: toJson(server) });
  },
  { name: "PATCH /api/v1/database-servers/:serverId", params: z.object({ serverId: idSchema }) },
);
