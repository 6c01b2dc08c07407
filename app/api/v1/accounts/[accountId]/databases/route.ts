import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createDatabase } from "@/lib/services/database/create-database";
import { listDatabases } from "@/lib/services/database/list-databases";

export const dynamic = "force-dynamic";

/** The account's databases and users, the servers they can go on, and the plan's usage. */
export const GET = withActor(
  async ({ actor, params }) => {
    const overview = await listDatabases({ actor, accountId: params.accountId });
    return jsonResponse(toJson(overview));
  },
  { name: "GET /api/v1/accounts/:accountId/databases", params: accountParamsSchema },
);

/** { serverId, name }: 201 with the database, PROVISIONING until the reconciler created it. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    // The service authorizes first, then parses with createDatabaseSchema.
    const database = await createDatabase({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse({ database: toJson(database) }, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/databases", params: accountParamsSchema },
);
