import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createDatabaseUser } from "@/lib/services/database/create-database-user";
import { listDatabases } from "@/lib/services/database/list-databases";

export const dynamic = "force-dynamic";

export const GET = withActor(
  async ({ actor, params }) => {
    const { users } = await listDatabases({ actor, accountId: params.accountId });
    return jsonResponse({ users: toJson(users) });
  },
  { name: "GET /api/v1/accounts/:accountId/database-users", params: accountParamsSchema },
);

/** { serverId, name }: 201 with the user and its generated password, in this response only. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const { user, password } = await createDatabaseUser({
      actor,
      accountId: params.accountId,
      input: await readJson(req),
    });
    return jsonResponse({ user: toJson(user), password }, { status: 201 });
  },
  { name: "POST /api/v1/accounts/:accountId/database-users", params: accountParamsSchema },
);
