import { toJson } from "@/lib/api/json";
import { accountParamsSchema } from "@/lib/api/params";
import { jsonResponse, readJson, withActor } from "@/lib/api/with-actor";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { listApiTokens } from "@/lib/services/api-token/list-api-tokens";

export const dynamic = "force-dynamic";

/** The account's API tokens: the caller's own, or everyone's for owners and admins. Never secrets. */
export const GET = withActor(
  async ({ actor, params }) =>
    jsonResponse(toJson(await listApiTokens({ actor, accountId: params.accountId }))),
  {
    name: "GET /api/v1/accounts/:accountId/api-tokens",
    params: accountParamsSchema,
    sessionOnly: "list API tokens",
  },
);

/** { name, role, expiresInDays }: a new token for the caller; `secret` is in this answer only. */
export const POST = withActor(
  async ({ req, actor, params }) => {
    const created = await createApiToken({ actor, accountId: params.accountId, input: await readJson(req) });
    return jsonResponse(created, { status: 201 });
  },
  {
    name: "POST /api/v1/accounts/:accountId/api-tokens",
    params: accountParamsSchema,
    sessionOnly: "create API tokens",
  },
);
