/**
 * Bearer authentication with Sitepod API tokens, for every server that takes them: the REST API
 * (lib/api/with-actor.ts) and the Kubernetes-style API server. Free of Next.js: any Node process
 * with the database configured (lib/db.ts) may import it.
 *
 * CONTRACT of authenticateBearer(authorizationHeader, ip):
 * - `authorizationHeader` is the request's raw `Authorization` header value (null/undefined when
 *   absent); `ip` the client address as the server resolved it (lib/http/client-address.ts), or
 *   null. The address is recorded (last use; a first use from an address is audited), never used
 *   to decide.
 * - Answers a Principal or a TokenError, never throws for a bad token (a database failure does
 *   throw). Tell them apart with isTokenError.
 * - A Principal is a service Actor (lib/services/actor.ts) with `token` set: pass it as `actor`
 *   to any service. Authorization (lib/authz) then narrows the user's memberships to the token's
 *   grant: its account and the accounts below it, with at most the token's role and never more than
 *   the user's current role there. Anything outside answers NOT_FOUND, a weaker role FORBIDDEN,
 *   exactly as for a member with that role. Services for what only a signed-in person may do
 *   (password, two-factor, sessions, tokens, joining accounts) refuse a Principal (FORBIDDEN).
 * - A TokenError has an AppError `code` and its HTTP `status`:
 *     TOKEN_INVALID (401)  no `Bearer` credential, not a Sitepod token (they start with `sp_`), an
 *                          unknown or wrong one, or its creator no longer a member of its account;
 *     TOKEN_REVOKED (401)  revoked in the panel;
 *     TOKEN_EXPIRED (401)  past its expiry;
 *     FORBIDDEN     (403)  the token is good but an account the user belongs to requires two-factor
 *                          sign-in they have not set up (as for their sessions).
 *   `message` says what happened and what to do; it names the token only once its secret matched.
 * - Cheap on the hot path: one statement (the token by its primary key, with its account, its
 *   creator's memberships on the account's path and their two-factor requirement); a write at most
 *   once a minute per token (or when its address changes).
 * - Requests that stay open (event streams, watches) call principalStillValid now and then, and end
 *   once the token is revoked or expired.
 * - Only `Bearer` credentials are tokens. A caller that sends one is authenticated by it alone:
 *   never by a session cookie sent along, and never refused as cross-site (lib/security/csrf.ts
 *   concerns cookies, which browsers attach on their own; no other site can make a browser send
 *   this header).
 */
import { bearerCredential } from "@/lib/auth/bearer-scheme";
import type { Actor, TokenGrant } from "@/lib/services/actor";
import { authenticateApiToken, recheckApiToken } from "@/lib/services/api-token/authenticate-api-token";

/** A caller authenticated by an API token: the token's user, acting within its grant. */
export type Principal = Actor & { ip: string | null; token: TokenGrant; sessionId?: null };

export interface TokenError {
  code: "TOKEN_INVALID" | "TOKEN_REVOKED" | "TOKEN_EXPIRED" | "FORBIDDEN";
  status: 401 | 403;
  message: string;
}

export function isTokenError(value: Principal | TokenError): value is TokenError {
  return "code" in value && "status" in value;
}

const TWO_FACTOR_SETUP_FIRST: TokenError = {
  code: "FORBIDDEN",
  status: 403,
  message:
    "An account you belong to requires two-factor sign-in, which you have not set up. Sign in to the panel and set it up (/profile/two-factor); your API tokens work again once you have.",
};

const NO_BEARER: TokenError = {
  code: "TOKEN_INVALID",
  status: 401,
  message:
    "Send a Sitepod API token as Authorization: Bearer sp_... (create one in the panel under API tokens).",
};

/** See the contract at the top of this file. */
export async function authenticateBearer(
  authorizationHeader: string | null | undefined,
  ip: string | null,
): Promise<Principal | TokenError> {
  const credential = bearerCredential(authorizationHeader);
  if (!credential) return NO_BEARER;
  const check = await authenticateApiToken({ token: credential, ip });
  if (!check.ok) return { code: check.code, status: 401, message: check.message };
  const { required, enrolled } = check.twoFactor;
  if (required && !enrolled) return TWO_FACTOR_SETUP_FIRST;
  return { userId: check.userId, ip, token: check.grant, sessionId: null };
}

/**
 * Whether a Principal's token still grants anything (not revoked or expired since, its user still a
 * member): for requests that stay open, such as event streams and watches. Records no use.
 */
export async function principalStillValid(principal: Principal): Promise<boolean> {
  const check = await recheckApiToken({ tokenId: principal.token.id, userId: principal.userId });
  return check.ok;
}
