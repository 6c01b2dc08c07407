/**
 * The API server's authenticator: Sitepod API tokens (`Authorization: Bearer sp_...`), checked by
 * lib/auth/bearer.ts exactly as the REST API checks them. The token's grant travels with the actor,
 * so every authorization narrows to its account subtree and role.
 */
import { authenticateBearer, isTokenError, principalStillValid } from "@/lib/auth/bearer";
import type { Authenticator } from "./server";

export const bearerTokens: Authenticator = async ({ authorization, ip }) => {
  const result = await authenticateBearer(authorization, ip);
  if (isTokenError(result)) return { error: result.message, code: result.status };
  return { actor: result, stillValid: () => principalStillValid(result) };
};
