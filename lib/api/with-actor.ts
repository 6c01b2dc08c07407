import type { NextRequest } from "next/server";
import type { z } from "zod";
import { type Actor, requireActor } from "@/lib/auth/session";
import { AppError, fieldErrorsFromZod, httpStatusFor, toAppError } from "@/lib/errors";
import { type Logger, log } from "@/lib/log";
import { crossSiteRefusal } from "@/lib/security/csrf";

export interface ApiErrorBody {
  error: { code: AppError["code"]; message: string; fieldErrors?: Record<string, string> };
}

interface HandlerArgs<P> {
  req: NextRequest;
  actor: Actor;
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

export function errorResponse(err: AppError): Response {
  const body: ApiErrorBody = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}),
    },
  };
  return jsonResponse(body, { status: httpStatusFor(err.code) });
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
 * A credential sent in a header (API tokens, when they exist) cannot be added by another site and
 * skips that check: give it its own `via`.
 */
interface Authentication {
  actor: Actor;
  via: "session";
}

async function authenticate(): Promise<Authentication> {
  return { actor: await requireActor(), via: "session" };
}

/**
 * The one wrapper for REST route handlers: authenticates the caller from the session (every handler,
 * whatever proxy.ts did), refuses cookie-authenticated changes that do not come from the panel's own
 * origin as JSON (cross-site request forgery), validates route params, runs the handler and turns
 * every failure into `{ error: { code, message, fieldErrors? } }` with the status from httpStatusFor.
 * Errors that are not AppErrors are logged with the route and actor (by toAppError) and answered with
 * a generic message.
 */
export function withActor<P extends Record<string, string> = Record<string, never>>(
  handler: (args: HandlerArgs<P>) => Promise<Response>,
  options: { name: string; params?: z.ZodType<P> },
): (req: NextRequest, ctx: RouteContext<Record<string, string | string[] | undefined>>) => Promise<Response> {
  return async (req, ctx) => {
    const routeLog = log.child({ route: options.name, method: req.method });
    let actor: Actor | undefined;
    try {
      const auth = await authenticate();
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
      return await handler({ req, actor, params, log: routeLog.child({ userId: actor.userId }) });
    } catch (err) {
      // toAppError logs anything that is not an AppError, with this context.
      return errorResponse(
        toAppError(err, { route: options.name, userId: actor?.userId, path: req.nextUrl.pathname }),
      );
    }
  };
}
