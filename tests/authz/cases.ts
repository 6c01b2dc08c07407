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
 *     shows:    for reads, what the rightful caller's answer must contain (e.g. w.acmeSite.id).
 *     mutation: routes: derived from the method (GET is a read); actions: default true.
 *     expect:   per-caller exceptions with a reason, e.g. the audit log is read-only yet closed to
 *               viewers: { viewer: { outcome: "FORBIDDEN", why: "..." } }. Anonymous callers are
 *               always refused and viewers never change anything: the suite rejects overrides that
 *               would allow either.
 *   Actions opened by a secret token instead of a membership (invitation links) go in
 *   tokenActionCases instead (see TokenActionCase).
 *   The suite then checks: anonymous -> UNAUTHENTICATED; unrelated member and reseller B ->
 *   NOT_FOUND without naming anything of the target; viewer -> FORBIDDEN for mutations; rightful
 *   caller -> success (and a mutation really writes); every refusal writes nothing.
 */
import { randomBytes } from "node:crypto";
import type { AppErrorCode } from "@/lib/errors";
import { createInvite } from "@/lib/services/membership/create-invite";
import { limits } from "@/tests/helpers/hosting";
import type { SignedInCaller, TargetName, World } from "./world";

export type Outcome = "ok" | AppErrorCode;

interface CaseBase {
  target?: TargetName;
  rightful?: SignedInCaller;
  scope?: "object" | "caller";
  expect?: Partial<Record<SignedInCaller, { outcome: Outcome; why: string }>>;
  /**
   * Something the rightful caller's answer must contain (e.g. the target's id), so that a read
   * whose refusals pass cannot be vacuous: give it for every read.
   */
  shows?(w: World): string;
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

/**
 * An action authorized by a secret token in its input (an invitation link), not by a membership.
 * The suite checks: every caller with a forged token gets NOT_FOUND and writes nothing; anonymous
 * callers are refused unless `anonymous: "allowed"`; a caller holding a valid token succeeds (an
 * anonymous visitor if allowed, else the unrelated member, who was handed the link).
 */
export interface TokenActionCase {
  /** Why the token, and not a membership, is what entitles the caller. */
  token: string;
  anonymous: "allowed" | "refused";
  /** Input carrying a valid token for the target (a fresh one each call) or a forged one. */
  input(w: World, token: { valid: boolean }): Promise<unknown>;
}

const freshSite = async (w: World) => ({ params: { siteId: (await w.newSite()).id } });

export const routeCases: Record<string, RouteCase | PublicRoute> = {
  "GET /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },
  "POST /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },

  "GET /api/v1/accounts": {
    scope: "caller",
    okStatus: 200,
    shows: (w) => w.target.id,
    request: async () => ({}),
  },
  "GET /api/v1/accounts/[accountId]/sites": {
    okStatus: 200,
    shows: (w) => w.acmeSite.id,
    request: async (w) => ({ params: { accountId: w.target.id } }),
  },
  "POST /api/v1/accounts/[accountId]/sites": {
    okStatus: 201,
    request: async (w) => {
      const name = w.uniqueName("new");
      return { params: { accountId: w.target.id }, body: { name, domain: `${name}.example.test` } };
    },
  },
  "GET /api/v1/sites/[siteId]": {
    okStatus: 200,
    request: async (w) => ({ params: { siteId: w.acmeSite.id } }),
    shows: (w) => w.acmeSite.name,
  },
  "DELETE /api/v1/sites/[siteId]": { okStatus: 202, request: freshSite },
  "GET /api/v1/accounts/[accountId]/client-sites": {
    // The sites of everything below the reseller, acme's among them.
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({
      params: { accountId: w.target.id },
      search: { sort: "client", pageSize: "100" },
    }),
    shows: (w) => w.acmeSite.id,
  },
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

/** A plan owned by reseller A, the target of plan cases. */
async function planOfResA(w: World) {
  return w.p.plan.create({ data: { ownerAccountId: w.resA.id, name: w.uniqueName("plan"), ...limits() } });
}

/** A fresh member of the target, with `role`, to remove or hand ownership to. */
async function memberOfTarget(w: World, role: "ADMIN" | "DEVELOPER") {
  const user = await w.newUser("member");
  await w.p.membership.create({ data: { userId: user.id, accountId: w.target.id, role } });
  return user;
}

/** An invitation link to the target as its owner would create it, or a well-formed forged one. */
async function inviteToken(w: World, valid: boolean): Promise<string> {
  if (!valid) return randomBytes(32).toString("base64url");
  const created = await createInvite({
    actor: { userId: w.users.targetOwner.id, ip: null },
    accountId: w.target.id,
    input: { role: "VIEWER" },
  });
  return created.token;
}

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

  // Accounts: children are created by the parent's admins; a child's contract (plan, suspension,
  // termination, allotment) belongs to its provider, never to the child's own owner.
  createAccountAction: {
    target: "resellerA",
    input: async (w) => ({
      parentId: w.target.id,
      kind: "CUSTOMER",
      slug: w.uniqueName("acct"),
      name: "New customer",
    }),
  },
  assignPlanAction: {
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, planId: (await planOfResA(w)).id }),
  },
  suspendAccountAction: {
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, reason: "Unpaid invoice" }),
  },
  unsuspendAccountAction: {
    rightful: "resellerA",
    input: async (w) => {
      await w.p.account.update({
        where: { id: w.target.id },
        data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "Unpaid invoice" },
      });
      return { accountId: w.target.id };
    },
  },
  terminateAccountAction: {
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, confirmSlug: w.target.slug }),
  },
  setAllotmentAction: {
    target: "resellerA",
    rightful: "platformOwner",
    input: async (w) => ({ accountId: w.target.id, ...limits(), oversellRatio: 1 }),
  },

  // Plans belong to the reseller that sells them.
  createPlanAction: {
    target: "resellerA",
    input: async (w) => ({ ownerAccountId: w.target.id, name: w.uniqueName("plan"), ...limits() }),
  },
  updatePlanAction: {
    target: "resellerA",
    input: async (w) => ({ planId: (await planOfResA(w)).id, name: w.uniqueName("plan") }),
  },

  // Members.
  createInviteAction: {
    input: async (w) => ({ accountId: w.target.id, role: "DEVELOPER" }),
  },
  removeMemberAction: {
    input: async (w) => ({ accountId: w.target.id, userId: (await memberOfTarget(w, "DEVELOPER")).id }),
  },
  transferOwnershipAction: {
    input: async (w) => ({ accountId: w.target.id, userId: (await memberOfTarget(w, "ADMIN")).id }),
  },
};

export const tokenActionCases: Record<string, TokenActionCase> = {
  acceptInviteAction: {
    token: "the invitation link is the capability: whoever holds it joins, once",
    anonymous: "refused",
    input: async (w, { valid }) => ({ token: await inviteToken(w, valid) }),
  },
  registerUserAction: {
    token: "Sitepod has no open sign-up: only a pending invitation lets an anonymous visitor register",
    anonymous: "allowed",
    input: async (w, { valid }) => ({
      token: await inviteToken(w, valid),
      name: "New user",
      email: `${w.uniqueName("reg")}@example.test`,
      password: "correct horse battery",
    }),
  },
};
