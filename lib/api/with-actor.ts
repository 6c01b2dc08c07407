import type { NextRequest } from "next/server";
import type { z } from "zod";
import { authenticateBearer, isTokenError, type Principal } from "@/lib/auth/bearer";
import { hasBearerScheme } from "@/lib/auth/bearer-scheme";
import { type Actor, clientIp, requireActor } from "@/lib/auth/session";
import { apiTokenRefusal } from "@/lib/authz/interactive";
import { AppError, fieldErrorsFromZod, httpStatusFor, toAppError } from "@/lib/errors";
import { type Logger, log } from "@/lib/log";
import { crossSiteRefusal } from "@/lib/security/csrf";
import { withChangeAttribution } from "@/lib/services/change-log/attribution";

export interface ApiErrorBody {
  error: { code: AppError["code"]; message: string; fieldErrors?: Record<string, string> };
}

/** The caller of a route: a signed-in user (session cookie) or an API token's Principal. */
export type RequestActor = Actor | Principal;

interface HandlerArgs<P, A extends RequestActor = RequestActor> {
  req: NextRequest;
  actor: A;
  params: P;
  log: Logger;
}

type RouteContext<P> = { params: Promise<P> };

/** JSON with bigint ids (resourceVersion) written as strings. */
export function jsonResponse(data: unknown, init?: ResponseInit): Response {
  const body = JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
  const headers = new Headers(init?.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(body, { ...init, headers });
}

const TOKEN_REFUSALS: ReadonlySet<AppError["code"]> = new Set([
  "TOKEN_INVALID",
  "TOKEN_REVOKED",
  "TOKEN_EXPIRED",
]);

export function errorResponse(err: AppError): Response {
  const body: ApiErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
    },
  };
  // RFC 6750: a refused bearer token is answered with the scheme's challenge.
  const headers = TOKEN_REFUSALS.has(err.code)
    ? { "www-authenticate": 'Bearer realm="sitepod", error="invalid_token"' }
    : undefined;
  return jsonResponse(body, { status: httpStatusFor(err.code), headers });
}

/** Parses a JSON request body, answering INVALID_INPUT for anything that is not JSON. */
export async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError("INVALID_INPUT", "The request body must be JSON.");
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("INVALID_INPUT", "Some fields are invalid.", fieldErrorsFromZod(parsed.error));
  }
  return parsed.data;
}

/**
 * How the caller proved who they are. Browsers attach the session cookie to requests any site
 * makes, so cookie-authenticated changes must come from the panel's own pages (crossSiteRefusal).
 * An API token is sent in the Authorization header, which no other site can make a browser add:
 * such calls skip that check, and are authenticated by the token alone (a cookie sent along is
 * ignored; a bad token is refused, never passed on to the cookie).
 */
type Authentication = { actor: Actor; via: "session" } | { actor: Principal; via: "token" };

async function authenticate(req: NextRequest, sessionOnly: string | undefined): Promise<Authentication> {
  const authorization = req.headers.get("authorization");
  // Other schemes (e.g. Basic from a proxy in front of the panel) are not Sitepod's: the cookie decides.
  if (hasBearerScheme(authorization)) {
    const result = await authenticateBearer(authorization, clientIp(req.headers));
    if (isTokenError(result)) throw new AppError(result.code, result.message);
    if (sessionOnly) throw new AppError("FORBIDDEN", apiTokenRefusal(sessionOnly));
    return { actor: result, via: "token" };
  }
  return { actor: await requireActor(), via: "session" };
}

interface WithActorOptions<P> {
  name: string;
  params?: z.ZodType<P>;
  /**
   * For what only a person signed in to the panel may do (their password, two-factor sign-in,
   * sessions, API tokens, joining accounts): completes "An API token cannot ...". Calls with a
   * bearer token are then refused with FORBIDDEN, and the handler gets a session Actor.
   */
  sessionOnly?: string;
}

type RouteHandler = (
  req: NextRequest,
  ctx: RouteContext<Record<string, string | string[] | undefined>>,
) => Promise<Response>;

/**
 * The one wrapper for REST route handlers: authenticates the caller (every handler, whatever
 * proxy.ts did) by an `Authorization: Bearer` API token (lib/auth/bearer.ts) or else the session,
 * refuses cookie-authenticated changes that do not come from the panel's own origin as JSON
 * (cross-site request forgery), validates route params, runs the handler (in a support session,
 * with its changes attributed to the operator: lib/services/change-log/attribution.ts) and turns every failure
 * into `{ error: { code, message, fieldErrors? } }` with the status from httpStatusFor. Errors that
 * are not AppErrors are logged with the route and actor (by toAppError) and answered with a generic
 * message.
 */
export function withActor<P extends Record<string, string> = Record<string, never>>(
  handler: (args: HandlerArgs<P, Actor>) => Promise<Response>,
  options: WithActorOptions<P> & { sessionOnly: string },
): RouteHandler;
export function withActor<P extends Record<string, string> = Record<string, never>>(
  handler: (args: HandlerArgs<P>) => Promise<Response>,
  options: WithActorOptions<P> & { sessionOnly?: undefined },
): RouteHandler;
export function withActor<P extends Record<string, string> = Record<string, never>>(
  handler: (args: HandlerArgs<P, never>) => Promise<Response>,
  options: WithActorOptions<P>,
): RouteHandler {
  return async (req, ctx) => {
    const routeLog = log.child({ route: options.name, method: req.method });
    let actor: RequestActor | undefined;
    try {
      const auth = await authenticate(req, options.sessionOnly);
      actor = auth.actor;
      if (auth.via === "session") {
        const refusal = crossSiteRefusal(req);
        if (refusal) {
          routeLog.warn("cross-site request refused", {
            event: "api.cross_site_refused",
            userId: actor.userId,
            origin: req.headers.get("origin"),
            secFetchSite: req.headers.get("sec-fetch-site"),
            contentType: req.headers.get("content-type"),
          });
          throw new AppError("FORBIDDEN", refusal);
        }
      }
      const rawParams = ctx?.params ? await ctx.params : {};
      const params = options.params ? parseWith(options.params, rawParams) : ({} as P);
      const context =
        auth.via === "token"
          ? { userId: actor.userId, tokenId: auth.actor.token.id }
          : {
              userId: actor.userId,
              ...(auth.actor.impersonation
                ? { operatorUserId: auth.actor.impersonation.operatorUserId }
                : {}),
            };
      const current = actor;
      // The overloads tie the actor's type to sessionOnly; authenticate() honoured it above. In a
      // support session, what the handler changes is recorded as the operator's doing.
      return await withChangeAttribution(current, () =>
        handler({ req, actor: current as never, params, log: routeLog.child(context) }),
      );
    } catch (err) {
      // toAppError logs anything that is not an AppError, with this context.
      return errorResponse(
        toAppError(err, { route: options.name, userId: actor?.userId, path: req.nextUrl.pathname }),
      );
    }
  };
}
