import { toJson } from "@/lib/api/json";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createDatabaseServer } from "@/lib/services/database/create-database-server";
import { listDatabaseServers } from "@/lib/services/database/list-database-servers";

export const dynamic = "force-dynamic";

/** The platform operator's: every registered server, never an admin password. */
export const GET = withActor(
  async ({ actor }) => {
    const servers = await listDatabaseServers({ actor });
    return jsonResponse({ servers: toJson(servers) });
  },
  { name: "GET /api/v1/database-servers" },
);

export const POST = withActor(
  async ({ req, actor }) => {
    const server = await createDatabaseServer({ actor, input: await readJson(req) });
    return jsonResponse({ server: toJson(server) }, { status: 201 });
  },
  { name: "POST /api/v1/database-servers" },
);
