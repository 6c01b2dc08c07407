/**
 * THE AUTHORIZATION TABLE: one case per REST route method (app/api/**\/route.ts) and per server
 * action (exported from lib/actions/**). tests/authz/authz.int.test.ts lists the real routes and
 * actions and fails for any without a case here, and for any case without a route or action.
 *
 * HOW TO ADD A CASE
 *   Route:  key "<METHOD> <url path with [params]>", e.g. "DELETE /api/v1/sites/[siteId]".
 *           `request(w)` returns the params/body that address an object of `w.target` (create a
 *           fresh one with w.newSite(), w.newUser(), w.p... when the call consumes it);
 *           `okStatus` is what the rightful caller gets.
 *   Action: key "<exported function name>", e.g. "deleteSiteAction"; `input(w)` returns its input.
 *   Then say who may do it, if not the defaults:
 *     target:   "customerA1" (default: acme, a customer of reseller A) or "resellerA" (objects
 *               owned by the reseller itself, e.g. its plans).
 *     rightful: who must succeed (default "targetOwner"); "resellerA" for what only the provider
 *               may do (plan assignment, suspension, termination): the target's own owner is then
 *               checked to be refused with FORBIDDEN.
 *     scope:    "object" (default: the call names an object; foreign callers get NOT_FOUND) or
 *               "caller" (lists the caller's own things; foreign callers get 200/ok without any
 *               of the target's data).
 *     mutation: routes: derived from the method (GET is a read); actions: default true.
 *     expect:   per-caller exceptions with a reason, e.g. the audit log is read-only yet closed to
 *               viewers: { viewer: { outcome: "FORBIDDEN", why: "..." } }. Anonymous callers are
 *               always refused and viewers never change anything: the suite rejects overrides that
 *               would allow either.
 *   The suite then checks: anonymous -> UNAUTHENTICATED; unrelated member and reseller B ->
 *   NOT_FOUND without naming anything of the target; viewer -> FORBIDDEN for mutations; rightful
 *   caller -> success (and a mutation really writes); every refusal writes nothing.
 */
import type { AppErrorCode } from "@/lib/errors";
import type { SignedInCaller, TargetName, World } from "./world";

export type Outcome = "ok" | AppErrorCode;

interface CaseBase {
  target?: TargetName;
  rightful?: SignedInCaller;
  scope?: "object" | "caller";
  expect?: Partial<Record<SignedInCaller, { outcome: Outcome; why: string }>>;
}

export interface RouteRequest {
  /** Route params by their [name] in the path. */
  params?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  search?: Record<string, string>;
}

export interface RouteCase extends CaseBase {
  request(w: World): Promise<RouteRequest>;
  okStatus: number;
  /** A text/event-stream response: read until `streamMarker` (or a deadline), then aborted. */
  stream?: { marker(w: World, caller: SignedInCaller): string };
}

/** A route deliberately open to anonymous callers; says why instead of giving a case. */
export interface PublicRoute {
  public: string;
}

export interface ActionCase extends CaseBase {
  input(w: World): Promise<unknown>;
  /** Default true: actions change things. */
  mutation?: boolean;
}

const siteOf = async (w: World) => ({ params: { siteId: (await w.newSite()).id } });

export const routeCases: Record<string, RouteCase | PublicRoute> = {
  "GET /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },
  "POST /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },

  "GET /api/v1/accounts": {
    scope: "caller",
    okStatus: 200,
    request: async () => ({}),
  },
  "GET /api/v1/accounts/[accountId]/sites": {
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id } }),
  },
  "POST /api/v1/accounts/[accountId]/sites": {
    okStatus: 201,
    request: async (w) => {
      const name = w.uniqueName("new");
      return { params: { accountId: w.target.id }, body: { name, domain: `${name}.example.test` } };
    },
  },
  "GET /api/v1/sites/[siteId]": { okStatus: 200, request: siteOf },
  "DELETE /api/v1/sites/[siteId]": { okStatus: 202, request: siteOf },
  "GET /api/v1/events": {
    scope: "caller",
    okStatus: 200,
    // From the beginning of time: whatever the caller may see arrives in resourceVersion order,
    // so once the caller's own site shows up, the target's (created before it) would have too.
    request: async () => ({ search: { since: "0" } }),
    stream: {
      marker: (w, caller) =>
        caller === "unrelated" ? w.agencySite.id : caller === "resellerB" ? w.globexSite.id : w.acmeSite.id,
    },
  },
};

export const actionCases: Record<string, ActionCase> = {
  createSiteAction: {
    input: async (w) => {
      const name = w.uniqueName("new");
      return { accountId: w.target.id, name, domain: `${name}.example.test` };
    },
  },
  deleteSiteAction: {
    input: async (w) => ({ siteId: (await w.newSite()).id }),
  },
};
