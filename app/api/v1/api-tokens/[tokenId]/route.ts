import { jsonResponse, withActor } from "@/lib/api/with-actor";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";
import { apiTokenParamsSchema } from "@/lib/validation/api-token";

export const dynamic = "force-dynamic";

/** Revokes the token at once (its creator, or the account's owners and admins). */
export const DELETE = withActor(
  async ({ actor, params }) => jsonResponse({ revoked: await revokeApiToken({ actor, input: params }) }),
  {
    name: "DELETE /api/v1/api-tokens/:tokenId",
    params: apiTokenParamsSchema,
    sessionOnly: "revoke API tokens",
  },
);
