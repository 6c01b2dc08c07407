/**
 * Authorization of every REST route and server action, against the real wrappers, services,
 * queries and a real MariaDB database. Only the session boundary is replaced: next-auth's
 * getServerSession answers the caller the test chose (with that caller's real UserSession row,
 * which getSessionUser checks as for any request), and next/headers (outside a Next request)
 * answers fixed headers. Requests carry what a browser on the panel's own page sends (Origin,
 * Sec-Fetch-Site, JSON content type); a later describe checks that every change made without it is
 * refused. Then every route with an API token, as a script would, and every route and action
 * through a support session (an operator signed in as a viewer). The cases live in ./cases.ts; see
 * there how to add one.
 */
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateApiToken } from "@/lib/auth/api-token-format";
import { APP_ERROR_CODES, type AppErrorCode, httpStatusFor } from "@/lib/errors";
import type { Account, User } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { panelOrigin } from "@/lib/security/origin";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";
import { startImpersonation } from "@/lib/services/impersonation/start-impersonation";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import {
  actionCases,
  type CaseBase,
  type OperatorActionCase,
  type Outcome,
  type PublicActionCase,
  type RouteCase,
  type RouteRequest,
  routeCases,
  type SelfActionCase,
  type TokenCase,
} from "./cases";
import {
  type ActionEntry,
  fillPattern,
  listActions,
  listRoutes,
  type RouteEntry,
  serverActionsOutsideActionsDir,
} from "./inventory";
import {
  type Caller,
  createWorld,
  databaseFingerprint,
  ghostIds,
  type RoleSeat,
  type SignedInCaller,
  type TargetName,
  victimIds,
  victimTokens,
  type World,
} from "./world";

interface SessionUserFixture {
  id: string;
  email: string;
  name: string;
}
const session: { user: SessionUserFixture | null; sessionId?: string } = { user: null };

vi.mock("next-auth", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next-auth")>();
  return {
    ...actual,
    getServerSession: async () =>
      session.user
        ? {
            user: session.user,
            sessionId: session.sessionId,
            expires: new Date(Date.now() + 3_600_000).toISOString(),
          }
        : null,
  };
});
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "198.51.100.7" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
// Outside a Next request, cache invalidation has no store to invalidate; actions may call it.
vi.mock("next/cache", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/cache")>()),
  revalidatePath: () => {},
  revalidateTag: () => {},
}));

// Downloaded kubeconfigs (downloadKubeconfigAction) name the API server: any https URL will do,
// nothing connects to it here.
vi.stubEnv("SITEPOD_APISERVER_URL", "https://127.0.0.1:3443");

const db = withTestDatabase();

let routes: RouteEntry[] = [];
let actions: ActionEntry[] = [];
let loaded: Promise<void> | undefined;
/** Imports every route and action module once, for all describes. */
function inventory(): Promise<void> {
  loaded ??= (async () => {
    routes = await listRoutes();
    actions = await listActions();
  })();
  return loaded;
}

function isAppErrorCode(value: unknown): value is AppErrorCode {
  return APP_ERROR_CODES.some((code) => code === value);
}

const HOW_TO_ADD = "Add a case to tests/authz/cases.ts (the comment at its top says how).";

describe("inventory", () => {
  beforeAll(() => inventory());

  it("has a case for every route method", () => {
    const missing = routes.filter((r) => !(r.key in routeCases)).map((r) => `${r.key} (${r.file})`);
    expect(missing, `routes without an authorization case. ${HOW_TO_ADD}`).toEqual([]);
  });

  it("has a case for every server action", () => {
    const missing = actions.filter((a) => !(a.key in actionCases)).map((a) => `${a.key} (${a.file})`);
    expect(missing, `server actions without an authorization case. ${HOW_TO_ADD}`).toEqual([]);
  });

  it("has no case for a route or action that does not exist", () => {
    const stale = [
      ...Object.keys(routeCases).filter((key) => !routes.some((r) => r.key === key)),
      ...Object.keys(actionCases).filter((key) => !actions.some((a) => a.key === key)),
    ];
    expect(stale, "cases in tests/authz/cases.ts without a route or action: remove or rename them").toEqual(
      [],
    );
  });

  it("finds every server action under lib/actions/", () => {
    expect(
      serverActionsOutsideActionsDir(),
      'files with "use server" outside lib/actions/, where this suite cannot see their actions: move them there',
    ).toEqual([]);
  });

  it("finds each server action name once", () => {
    const names = actions.map((a) => a.key);
    const duplicated = actions
      .filter((a, i) => names.indexOf(a.key) !== i)
      .map((a) => `${a.key} (${a.file})`);
    expect(duplicated, "action cases are keyed by exported name: rename one of them").toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Expectations

interface CallResult {
  outcome: Outcome;
  /** Status for routes; the action's result for actions. */
  detail: string;
  /** Response body or action result, for leak checks (for streams: what was read). */
  text: string;
}

interface CallOutcome {
  result: CallResult;
  /** The database fingerprint changed during the call. */
  wrote: boolean;
  /** What the call sent (URL, body, input): tokens in it do not count as leaked. */
  sent: string;
}

interface Expectation {
  outcome: Outcome;
  /** Where `ok` is expected for a foreign caller: must still not see the target. */
  mustNotLeak: boolean;
  /**
   * False where an allowed call must write nothing: a "self" call by someone other than the
   * rightful caller, whose input names only the rightful caller's things.
   */
  writes?: false;
  /** A "self" call by someone else: the answer must not contain what the rightful caller's shows. */
  ownOnly?: true;
}

function expectationFor(c: CaseBase, caller: Caller, mutation: boolean): Expectation {
  const scope = c.scope ?? "object";
  const rightful = c.rightful ?? "targetOwner";
  const foreign = caller === "unrelated" || caller === "resellerB";
  if (caller === "anonymous") return { outcome: "UNAUTHENTICATED", mustNotLeak: true };
  const override = c.expect?.[caller];
  if (scope === "self") {
    if (caller === rightful) return { outcome: "ok", mustNotLeak: false };
    // Acting on their own user with input that names the rightful caller's things: nothing to do.
    return { outcome: override?.outcome ?? "ok", mustNotLeak: foreign, writes: false, ownOnly: true };
  }
  if (override) {
    if (caller === "viewer" && mutation && override.outcome === "ok") {
      throw new Error("a case may not let a viewer change anything");
    }
    if (foreign && override.outcome !== "NOT_FOUND") {
      throw new Error(
        'foreign callers always get NOT_FOUND; a listing of their own things is scope: "caller"',
      );
    }
    return { outcome: override.outcome, mustNotLeak: foreign };
  }
  if (caller === rightful) return { outcome: "ok", mustNotLeak: false };
  if (foreign) return { outcome: scope === "object" ? "NOT_FOUND" : "ok", mustNotLeak: true };
  if (caller === "viewer") return { outcome: mutation ? "FORBIDDEN" : "ok", mustNotLeak: false };
  if (caller === "belowMinRole") return { outcome: "FORBIDDEN", mustNotLeak: false };
  // A customer below a reseller-level target: roles reach down the tree, never up.
  if (caller === "customerOwner")
    return { outcome: scope === "object" ? "NOT_FOUND" : "ok", mustNotLeak: false };
  // The target's owner, where only the provider may act.
  if (caller === "targetOwner") return { outcome: "FORBIDDEN", mustNotLeak: false };
  return { outcome: "ok", mustNotLeak: false };
}

const ROLE_BELOW: Record<Exclude<Role, "VIEWER">, Role> = {
  OWNER: "ADMIN",
  ADMIN: "DEVELOPER",
  DEVELOPER: "VIEWER",
};

/** Where each possible rightful caller holds the role that entitles them. */
const SEAT_OF: Partial<Record<SignedInCaller, RoleSeat>> = {
  targetOwner: "target",
  resellerA: "resA",
  customerOwner: "acme",
  platformOwner: "platform",
};

/** The member one role too weak, seated where the rightful caller's role is. */
function belowMinRole(c: CaseBase): { role: Role; seat: RoleSeat } | undefined {
  if (!c.minRole) return undefined;
  const rightful = c.rightful ?? "targetOwner";
  const seat = SEAT_OF[rightful];
  if (!seat) throw new Error(`minRole needs an owner as the rightful caller, not ${rightful}`);
  return { role: ROLE_BELOW[c.minRole], seat };
}

/** Callers checked for each case, refusals first and the rightful caller (who may consume the object) last. */
function callersFor(c: CaseBase): Caller[] {
  const rightful = c.rightful ?? "targetOwner";
  const list: Caller[] = ["anonymous", "unrelated", "resellerB", "viewer"];
  if (c.target === "resellerA" && rightful !== "customerOwner") list.push("customerOwner");
  if (rightful !== "targetOwner") list.push("targetOwner");
  if (c.minRole) list.push("belowMinRole");
  list.push(rightful);
  return list;
}

/**
 * Makes `caller` the session's user, through their world session. Marks that session seen now, so
 * that the call itself never updates lastSeenAt (at most once a minute) and writes only what it does.
 */
async function signIn(w: World, caller: Caller): Promise<void> {
  if (caller === "anonymous") {
    session.user = null;
    delete session.sessionId;
    return;
  }
  const user = w.users[caller];
  session.user = { id: user.id, email: user.email, name: user.name };
  session.sessionId = w.sessions[caller];
  await w.p.userSession.update({ where: { id: w.sessions[caller] }, data: { lastSeenAt: new Date() } });
}

function outcomeOfStatus(status: number, okStatus: number, body: string): Outcome {
  if (status === okStatus) return "ok";
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === "object" && parsed !== null && "error" in parsed) {
      const error: unknown = parsed.error;
      if (typeof error === "object" && error !== null && "code" in error && isAppErrorCode(error.code)) {
        if (httpStatusFor(error.code) === status) return error.code;
      }
    }
  } catch {
    // Not a JSON error body: reported with its status below.
  }
  // Anything else (an unexpected status, a non-JSON body) is a failure the assertion reports.
  return "INTERNAL";
}

/** Reads a text/event-stream until `marker` appears or the deadline passes, then aborts it. */
async function readStream(res: Response, abort: AbortController, marker: string): Promise<string> {
  const reader = res.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + 15_000;
  try {
    while (!text.includes(marker) && Date.now() < deadline) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), deadline - Date.now());
      });
      const next = await Promise.race([reader.read(), timeout]);
      clearTimeout(timer);
      if (next === "timeout" || next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
  } finally {
    abort.abort();
    await reader.cancel().catch(() => {});
  }
  return text;
}

/**
 * Changes the headers a browser on the panel's own page would send (Origin, Sec-Fetch-Site,
 * Content-Type for a body): a cross-site request.
 */
type Tamper = (headers: Headers) => void;

async function callRoute(
  route: RouteEntry,
  c: { okStatus: number; stream?: RouteCase["stream"] },
  w: World,
  caller: Caller,
  build: () => Promise<RouteRequest>,
  rewrite: (text: string) => string = (text) => text,
  tamper?: Tamper,
): Promise<CallOutcome> {
  const built = await build();
  const params = Object.fromEntries(Object.entries(built.params ?? {}).map(([k, v]) => [k, rewrite(v)]));
  const url = new URL(fillPattern(route.pattern, params), panelOrigin());
  for (const [key, value] of Object.entries(built.search ?? {})) url.searchParams.set(key, rewrite(value));
  const body = built.body === undefined ? undefined : rewrite(JSON.stringify(built.body));
  const abort = new AbortController();
  // What a browser sends with a call from the panel's own pages: mutations from anywhere else are refused.
  const headers = new Headers({ origin: panelOrigin(), "sec-fetch-site": "same-origin" });
  if (body !== undefined) headers.set("content-type", "application/json");
  tamper?.(headers);
  const req = new NextRequest(url, {
    method: route.method,
    signal: abort.signal,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const sent = `${url.toString()} ${body ?? ""}`;
  await signIn(w, caller);
  const before = await databaseFingerprint(w.p);
  const res = await route.handler(req, { params: Promise.resolve(params) });
  let text: string;
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    // Never res.text() on a stream: it would wait for the stream's end, minutes away.
    if (!c.stream || caller === "anonymous") {
      text = await readStream(res, abort, "\n\n");
    } else {
      const marker = c.stream.marker(w, caller);
      text = await readStream(res, abort, marker);
      // Until the caller's own object arrives, the absence of the target's proves nothing.
      expect(text, `${caller}: the stream never delivered ${marker}`).toContain(marker);
    }
  } else {
    text = await res.text();
    abort.abort();
  }
  const after = await databaseFingerprint(w.p);
  const result: CallResult = {
    outcome: outcomeOfStatus(res.status, c.okStatus, text),
    detail: `HTTP ${res.status}`,
    text,
  };
  return { result, wrote: before !== after, sent };
}

async function callAction(
  entry: ActionEntry,
  built: unknown,
  w: World,
  caller: Caller,
  rewrite: (text: string) => string = (text) => text,
): Promise<CallOutcome> {
  const sent = rewrite(JSON.stringify(built ?? null));
  const input: unknown = JSON.parse(sent);
  await signIn(w, caller);
  const before = await databaseFingerprint(w.p);
  const value = await entry.action(input);
  const after = await databaseFingerprint(w.p);
  const text = JSON.stringify(value);
  let outcome: Outcome = "INTERNAL";
  if (typeof value === "object" && value !== null && "ok" in value) {
    if (value.ok === true) outcome = "ok";
    else if ("code" in value && isAppErrorCode(value.code)) outcome = value.code;
  }
  return { result: { outcome, detail: text.slice(0, 300), text }, wrote: before !== after, sent };
}

/** The rightful caller naming a second object from reseller B's tree. */
const FOREIGN_REFERENCE: Expectation = { outcome: "NOT_FOUND", mustNotLeak: true };

async function checkCall(
  c: Pick<CaseBase, "shows">,
  w: World,
  caller: Caller,
  expected: Expectation,
  mutation: boolean,
  call: () => Promise<CallOutcome>,
  /** Whose data must not leak: reseller A's tree unless said otherwise. */
  leakRoot?: World["resB"],
): Promise<void> {
  const { result, wrote, sent } = await call();
  expect(result.outcome, `${caller}: ${result.detail} ${result.text.slice(0, 300)}`).toBe(expected.outcome);
  if (expected.outcome === "ok") {
    // The positive control: a mutation that is allowed must really write, or the refusals prove nothing.
    if (mutation && expected.writes === false) {
      expect(wrote, `${caller}: a call on their own user changed someone else's`).toBe(false);
    } else if (mutation) expect(wrote, `${caller}: the allowed call wrote nothing`).toBe(true);
    if (c.shows && expected.ownOnly) {
      const shown = await c.shows(w);
      expect(result.text, `${caller}: the answer shows the rightful caller's own things`).not.toContain(
        shown,
      );
    } else if (c.shows && !expected.mustNotLeak) {
      const shown = await c.shows(w);
      expect(result.text, `${caller}: the answer lacks what the case says it shows`).toContain(shown);
    }
  } else {
    expect(wrote, `${caller}: a refused call wrote to the database`).toBe(false);
  }
  if (expected.mustNotLeak) {
    const leaked = (await victimTokens(w, leakRoot ?? w.resA)).filter(
      (token) => !sent.includes(token) && result.text.includes(token),
    );
    expect(leaked, `${caller}: the answer names the target's data`).toEqual([]);
  }
}

// ---------------------------------------------------------------------------------------------
// Properties, one describe per case

afterAll(() => {
  session.user = null;
  delete session.sessionId;
});

type Invoke<B> = (
  w: World,
  caller: Caller,
  build: B,
  rewrite?: (text: string) => string,
) => Promise<CallOutcome>;

/** The membership properties of one route or action, each caller against the case's fresh world. */
function membershipSuite<B>(
  label: string,
  c: CaseBase & { foreign?: B },
  build: B,
  mutation: boolean,
  resolve: () => Promise<Invoke<B>>,
): void {
  describe(label, () => {
    let w: World;
    let invoke: Invoke<B>;
    beforeAll(async () => {
      invoke = await resolve();
      w = await createWorld(db().prisma, c.target ?? "customerA1", belowMinRole(c));
    });
    for (const caller of callersFor(c)) {
      const foreign = c.foreign;
      // Before the rightful call, which may consume the target.
      if (foreign !== undefined && caller === (c.rightful ?? "targetOwner")) {
        it(`${caller} naming reseller B's object -> NOT_FOUND`, async () => {
          await checkCall(
            c,
            w,
            caller,
            FOREIGN_REFERENCE,
            mutation,
            () => invoke(w, caller, foreign),
            w.resB,
          );
        });
      }
      const expected = expectationFor(c, caller, mutation);
      const why = caller === "anonymous" ? undefined : c.expect?.[caller]?.why;
      const who =
        caller === "belowMinRole" && c.minRole
          ? `${ROLE_BELOW[c.minRole].toLowerCase()} (below ${c.minRole.toLowerCase()})`
          : caller;
      it(`${who} -> ${expected.outcome}${why ? ` (${why})` : ""}`, async () => {
        await checkCall(c, w, caller, expected, mutation, () => invoke(w, caller, build));
      });
      if (
        expected.outcome === "NOT_FOUND" &&
        !c.namesNothing &&
        (caller === "unrelated" || caller === "resellerB" || caller === "customerOwner")
      ) {
        it(`${caller} cannot tell the target from an object that does not exist`, async () => {
          const ghost = ghostIds(await victimIds(w));
          const real = await invoke(w, caller, build);
          const made = await invoke(w, caller, build, ghost.toGhost);
          // A request naming none of the target's ids would compare a call with itself.
          expect(made.sent, "the request names nothing of the target's").not.toBe(real.sent);
          expect(made.wrote, `${caller}: a call on nothing wrote to the database`).toBe(false);
          expect(
            {
              outcome: made.result.outcome,
              detail: made.result.detail,
              text: ghost.fromGhost(made.result.text),
            },
            `${caller}: the answer differs between the target and a made-up id`,
          ).toEqual({ outcome: real.result.outcome, detail: real.result.detail, text: real.result.text });
        });
      }
    }
  });
}

/** The properties of a call opened by a secret token (see TokenCase in ./cases.ts). */
function tokenSuite(
  label: string,
  c: TokenCase,
  resolve: () => Promise<(w: World, caller: Caller, valid: boolean) => Promise<CallOutcome>>,
): void {
  describe(`${label} (token)`, () => {
    let w: World;
    let invoke: (w: World, caller: Caller, valid: boolean) => Promise<CallOutcome>;
    beforeAll(async () => {
      invoke = await resolve();
      w = await createWorld(db().prisma, "customerA1");
    });
    for (const caller of ["anonymous", "unrelated", "resellerB", "viewer"] as const) {
      const refusedAnonymous = caller === "anonymous" && c.anonymous === "refused";
      const outcome: Outcome = refusedAnonymous ? "UNAUTHENTICATED" : "NOT_FOUND";
      it(`${caller} with ${refusedAnonymous ? "a valid" : "a forged"} token -> ${outcome}`, async () => {
        await checkCall({}, w, caller, { outcome, mustNotLeak: true }, true, () =>
          invoke(w, caller, refusedAnonymous),
        );
      });
    }
    const holder: Caller = c.anonymous === "allowed" ? "anonymous" : "unrelated";
    it(`${holder} with a valid token -> ok`, async () => {
      await checkCall({}, w, holder, { outcome: "ok", mustNotLeak: false }, true, () =>
        invoke(w, holder, true),
      );
    });
  });
}

/** Every row that belongs to users other than `userId`, to prove a self-service call left them alone. */
async function otherUsersRows(w: World, userId: string): Promise<string> {
  const other = { userId: { not: userId } };
  const [users, codes, devices] = await Promise.all([
    w.p.user.findMany({ where: { id: { not: userId } }, orderBy: { id: "asc" } }),
    w.p.recoveryCode.findMany({ where: other, orderBy: { id: "asc" } }),
    w.p.rememberedDevice.findMany({ where: other, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ users, codes, devices });
}

/** The properties of an action on the caller's own user (see SelfActionCase in ./cases.ts). */
function selfSuite(label: string, c: SelfActionCase, resolve: () => Promise<ActionEntry>): void {
  describe(`${label} (self)`, () => {
    let w: World;
    let entry: ActionEntry;
    beforeAll(async () => {
      entry = await resolve();
      w = await createWorld(db().prisma, "customerA1");
    });
    it("anonymous -> UNAUTHENTICATED", async () => {
      const input = await c.selfInput(w, await w.newUser("self-anonymous"));
      const { result, wrote } = await callAction(entry, input, w, "anonymous");
      expect(result.outcome, result.detail).toBe("UNAUTHENTICATED");
      expect(wrote, "a refused call wrote to the database").toBe(false);
    });
    for (const caller of ["viewer", "unrelated", "platformOwner"] as const) {
      it(`${caller}, on their own user -> ok, and no other user's rows change`, async () => {
        const user = w.users[caller];
        const input = await c.selfInput(w, user);
        const before = await otherUsersRows(w, user.id);
        const { result, wrote } = await callAction(entry, input, w, caller);
        expect(result.outcome, result.detail).toBe("ok");
        expect(wrote, `${caller}: the allowed call wrote nothing`).toBe(true);
        expect(await otherUsersRows(w, user.id), `${caller}: another user's rows changed`).toBe(before);
      });
    }
  });
}

/** The properties of an action open to anyone (see PublicActionCase in ./cases.ts). */
function publicSuite(label: string, c: PublicActionCase, resolve: () => Promise<ActionEntry>): void {
  describe(`${label} (public)`, () => {
    let w: World;
    let entry: ActionEntry;
    beforeAll(async () => {
      entry = await resolve();
      w = await createWorld(db().prisma, "customerA1");
    });
    /** The answer with the address it names taken out: what tells one address from another. */
    const answer = async (caller: Caller, existing: boolean) => {
      const { input, address } = await c.openInput(w, { existing });
      const { result } = await callAction(entry, input, w, caller);
      expect(result.outcome, `${caller}: ${result.detail}`).toBe("ok");
      return result.text.replaceAll(address, "<address>");
    };
    for (const caller of ["anonymous", "unrelated", "viewer"] as const) {
      it(`${caller}: an address with a user and one without -> ok, the same answer`, async () => {
        const known = await answer(caller, true);
        expect(
          await answer(caller, false),
          `${caller}: the answer tells whether the address has a user`,
        ).toBe(known);
      });
    }
  });
}

/** The properties of an action on the platform's own catalogue (see OperatorActionCase in ./cases.ts). */
function operatorSuite(label: string, c: OperatorActionCase, resolve: () => Promise<ActionEntry>): void {
  describe(`${label} (operator)`, () => {
    let w: World;
    let entry: ActionEntry;
    const refusedAnswers = new Map<string, string>();
    beforeAll(async () => {
      entry = await resolve();
      w = await createWorld(db().prisma, "customerA1", { role: ROLE_BELOW[c.minRole], seat: "platform" });
    });
    it("anonymous -> UNAUTHENTICATED", async () => {
      const { result, wrote } = await callAction(entry, await c.operatorInput(w), w, "anonymous");
      expect(result.outcome, result.detail).toBe("UNAUTHENTICATED");
      expect(wrote, "a refused call wrote to the database").toBe(false);
    });
    const below = ["unrelated", "resellerB", "viewer", "resellerA", "customerOwner"] as const;
    for (const caller of below) {
      it(`${caller} (a member below the platform) -> NOT_FOUND, nothing written, the same answer as everyone below`, async () => {
        const { result, wrote } = await callAction(entry, await c.operatorInput(w), w, caller);
        expect(result.outcome, result.detail).toBe("NOT_FOUND");
        expect(wrote, `${caller}: a refused call wrote to the database`).toBe(false);
        refusedAnswers.set(caller, result.text);
        expect(new Set(refusedAnswers.values()).size, "refused callers got different answers").toBe(1);
        const missing = c.missingInput;
        if (missing) {
          const made = await callAction(entry, await missing(w), w, caller);
          expect(made.result.text, `${caller}: a real entry and a made-up one answer differently`).toBe(
            result.text,
          );
          expect(made.wrote).toBe(false);
        }
      });
    }
    it(`a platform ${ROLE_BELOW[c.minRole].toLowerCase()} (below ${c.minRole.toLowerCase()}) -> FORBIDDEN, nothing written`, async () => {
      const { result, wrote } = await callAction(entry, await c.operatorInput(w), w, "belowMinRole");
      expect(result.outcome, result.detail).toBe("FORBIDDEN");
      expect(wrote, "a refused call wrote to the database").toBe(false);
    });
    if (c.missingInput) {
      const missing = c.missingInput;
      it("platformOwner naming an entry that does not exist -> NOT_FOUND, nothing written", async () => {
        const { result, wrote } = await callAction(entry, await missing(w), w, "platformOwner");
        expect(result.outcome, result.detail).toBe("NOT_FOUND");
        expect(wrote).toBe(false);
      });
    }
    it("platformOwner -> ok, and the call writes", async () => {
      const { result, wrote } = await callAction(entry, await c.operatorInput(w), w, "platformOwner");
      expect(result.outcome, result.detail).toBe("ok");
      expect(wrote, "the allowed call wrote nothing").toBe(true);
    });
  });
}

async function findRoute(key: string): Promise<RouteEntry> {
  await inventory();
  const route = routes.find((r) => r.key === key);
  if (!route) throw new Error(`no route ${key}: a stale case (see the inventory test)`);
  return route;
}

async function findAction(key: string): Promise<ActionEntry> {
  await inventory();
  const entry = actions.find((a) => a.key === key);
  if (!entry) throw new Error(`no action ${key}: a stale case (see the inventory test)`);
  return entry;
}

for (const [key, c] of Object.entries(routeCases)) {
  if ("public" in c) continue;
  if ("token" in c) {
    tokenSuite(`route ${key}`, c, async () => {
      const route = await findRoute(key);
      return (w, caller, valid) => callRoute(route, c, w, caller, () => c.tokenRequest(w, { valid }));
    });
    continue;
  }
  const mutation = !key.startsWith("GET ") && !key.startsWith("HEAD ");
  membershipSuite<(w: World) => Promise<RouteRequest>>(`route ${key}`, c, c.request, mutation, async () => {
    const route = await findRoute(key);
    return (w, caller, build, rewrite) => callRoute(route, c, w, caller, () => build(w), rewrite);
  });
}

for (const [key, c] of Object.entries(actionCases)) {
  if ("open" in c) {
    publicSuite(`action ${key}`, c, () => findAction(key));
    continue;
  }
  if ("operator" in c) {
    operatorSuite(`action ${key}`, c, () => findAction(key));
    continue;
  }
  if ("self" in c) {
    selfSuite(`action ${key}`, c, () => findAction(key));
    continue;
  }
  if ("token" in c) {
    tokenSuite(`action ${key}`, c, async () => {
      const entry = await findAction(key);
      return async (w, caller, valid) => callAction(entry, await c.tokenInput(w, { valid }), w, caller);
    });
    continue;
  }
  membershipSuite<(w: World) => Promise<unknown>>(
    `action ${key}`,
    c,
    c.input,
    c.mutation ?? true,
    async () => {
      const entry = await findAction(key);
      return async (w, caller, build, rewrite) => callAction(entry, await build(w), w, caller, rewrite);
    },
  );
}

// ---------------------------------------------------------------------------------------------
// Cross-site requests: every change made with the session cookie must come from the panel itself

const CROSS_SITE: { label: string; tamper: Tamper; refusal: string }[] = [
  {
    label: "another site's Origin",
    tamper: (h) => {
      h.set("origin", "http://evil.example");
      h.set("sec-fetch-site", "cross-site");
    },
    refusal: "did not come from the panel",
  },
  {
    label: "another site's Origin with a claimed Sec-Fetch-Site: same-origin",
    tamper: (h) => h.set("origin", "http://evil.example"),
    refusal: "did not come from the panel",
  },
  {
    label: "neither Origin nor Sec-Fetch-Site",
    tamper: (h) => {
      h.delete("origin");
      h.delete("sec-fetch-site");
    },
    refusal: "did not come from the panel",
  },
  {
    label: "a text/plain body (what a cross-site form or fetch can send without a preflight)",
    tamper: (h) => {
      if (h.has("content-type")) h.set("content-type", "text/plain;charset=UTF-8");
    },
    refusal: "not sent as JSON",
  },
];

/** A cross-site variant of a rightful call: FORBIDDEN with the reason, and nothing written. */
async function expectCrossSiteRefused(
  call: (tamper?: Tamper) => Promise<CallOutcome>,
  variant: (typeof CROSS_SITE)[number],
): Promise<void> {
  const { result, wrote } = await call(variant.tamper);
  expect(result.outcome, `${result.detail} ${result.text.slice(0, 300)}`).toBe("FORBIDDEN");
  expect(result.text).toContain(variant.refusal);
  expect(wrote, "a cross-site call wrote to the database").toBe(false);
}

describe("cross-site changes with the session cookie", () => {
  for (const [key, c] of Object.entries(routeCases)) {
    if ("public" in c || key.startsWith("GET ") || key.startsWith("HEAD ")) continue;
    describe(`route ${key}`, () => {
      let w: World;
      beforeAll(async () => {
        w = await createWorld(db().prisma, "token" in c ? "customerA1" : (c.target ?? "customerA1"));
      });
      // The caller who may make the call: only the cross-site headers can be why it is refused.
      const call = async (tamper?: Tamper): Promise<CallOutcome> => {
        const route = await findRoute(key);
        if ("token" in c) {
          const holder: Caller = c.anonymous === "allowed" ? "anonymous" : "unrelated";
          return callRoute(route, c, w, holder, () => c.tokenRequest(w, { valid: true }), undefined, tamper);
        }
        return callRoute(route, c, w, c.rightful ?? "targetOwner", () => c.request(w), undefined, tamper);
      };
      for (const variant of CROSS_SITE) {
        const hasBody = !key.startsWith("DELETE ");
        if (variant.label.startsWith("a text/plain") && !hasBody) continue;
        it(`${variant.label} -> FORBIDDEN, nothing written`, async () => {
          await expectCrossSiteRefused(call, variant);
        });
      }
      it("the same call from the panel's own page succeeds", async () => {
        const { result, wrote } = await call();
        expect(result.outcome, `${result.detail} ${result.text.slice(0, 300)}`).toBe("ok");
        expect(wrote).toBe(true);
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// API tokens: every route called as a script calls it, with `Authorization: Bearer` and neither
// Origin nor Sec-Fetch-Site, while the rightful caller's session cookie is sent along: the cookie
// must not count, nor the cross-site check apply. A token acts as a member with the token's role on
// the token's account: the rightful caller's owner token on their account succeeds, a weaker one
// or one on another account of theirs is refused, revoked, expired and forged ones answer 401.

const SEAT_ACCOUNT: Record<RoleSeat, (w: World) => Account> = {
  target: (w) => w.target,
  resA: (w) => w.resA,
  acme: (w) => w.acme,
  platform: (w) => w.platform,
};

type TokenKind = "live" | "revoked" | "expired";

/** A token of `user` on `account`, made through the service, marked used just now (the call records no use). */
async function apiTokenFor(
  w: World,
  user: User,
  account: Account,
  role: Role,
  kind: TokenKind = "live",
): Promise<string> {
  const { token, secret } = await createApiToken({
    actor: { userId: user.id, ip: null },
    accountId: account.id,
    input: { name: w.uniqueName("tok"), role, expiresInDays: 30 },
  });
  if (kind === "revoked")
    await revokeApiToken({ actor: { userId: user.id, ip: null }, input: { tokenId: token.id } });
  await w.p.apiToken.update({
    where: { id: token.id },
    data: {
      lastUsedAt: new Date(),
      ...(kind === "expired" ? { expiresAt: new Date(Date.now() - 1000) } : {}),
    },
  });
  return secret;
}

/** What a script sends: the token, no browser headers. */
function asScript(secret: string): Tamper {
  return (h) => {
    h.delete("origin");
    h.delete("sec-fetch-site");
    h.set("authorization", `Bearer ${secret}`);
  };
}

/**
 * An account of `user`'s own outside reseller A's tree (a client of the agency, which they own),
 * with a site of its own when a stream needs one to arrive.
 */
async function accountElsewhere(
  w: World,
  user: User,
  withSite: boolean,
): Promise<{ account: Account; siteId?: string }> {
  const account = await createTestAccount(w.p, {
    slug: w.uniqueName("else"),
    kind: "CUSTOMER",
    parent: w.agency,
  });
  await w.p.membership.create({ data: { userId: user.id, accountId: account.id, role: "OWNER" } });
  return withSite ? { account, siteId: (await w.newSite(account)).id } : { account };
}

const TOKEN_REFUSALS: { kind: TokenKind | "forged"; outcome: AppErrorCode }[] = [
  { kind: "revoked", outcome: "TOKEN_REVOKED" },
  { kind: "expired", outcome: "TOKEN_EXPIRED" },
  { kind: "forged", outcome: "TOKEN_INVALID" },
];

function apiTokenSuite(key: string, c: RouteCase): void {
  const rightful = c.rightful ?? "targetOwner";
  const seat = SEAT_OF[rightful];
  if (!seat) throw new Error(`no seat for ${rightful}`);
  const mutation = !key.startsWith("GET ") && !key.startsWith("HEAD ");
  const scope = c.scope ?? "object";
  describe(`route ${key} with an API token`, () => {
    let w: World;
    let route: RouteEntry;
    beforeAll(async () => {
      route = await findRoute(key);
      w = await createWorld(db().prisma, c.target ?? "customerA1");
    });
    const call = (secret: string, marker?: string) =>
      callRoute(
        route,
        marker ? { okStatus: c.okStatus, stream: { marker: () => marker } } : c,
        w,
        rightful,
        () => c.request(w),
        undefined,
        asScript(secret),
      );
    const token = (role: Role, kind: TokenKind = "live") =>
      apiTokenFor(w, w.users[rightful], SEAT_ACCOUNT[seat](w), role, kind);

    if (c.apiTokenRefused) {
      it(`${rightful}'s owner token -> FORBIDDEN (${c.apiTokenRefused})`, async () => {
        const { result, wrote } = await call(await token("OWNER"));
        expect(result.outcome, `${result.detail} ${result.text.slice(0, 300)}`).toBe("FORBIDDEN");
        expect(result.text).toContain("An API token cannot");
        expect(wrote, "a refused call wrote to the database").toBe(false);
      });
    } else {
      const weak: Role | null = c.minRole ? ROLE_BELOW[c.minRole] : mutation ? "VIEWER" : null;
      if (weak) {
        it(`${rightful}'s ${weak.toLowerCase()} token -> FORBIDDEN, though their session may`, async () => {
          const secret = await token(weak);
          await checkCall(c, w, rightful, { outcome: "FORBIDDEN", mustNotLeak: false }, mutation, () =>
            call(secret),
          );
        });
      }
      const elsewhereOutcome: Outcome = scope === "caller" ? "ok" : "NOT_FOUND";
      it(`${rightful}'s owner token on another account of theirs -> ${elsewhereOutcome}, nothing of the target's`, async () => {
        const user = w.users[rightful];
        const elsewhere = await accountElsewhere(w, user, c.stream !== undefined);
        const secret = await apiTokenFor(w, user, elsewhere.account, "OWNER");
        await checkCall({}, w, rightful, { outcome: elsewhereOutcome, mustNotLeak: true }, mutation, () =>
          call(secret, elsewhere.siteId),
        );
      });
    }
    for (const refusal of TOKEN_REFUSALS) {
      it(`a ${refusal.kind} token -> ${refusal.outcome}, nothing written`, async () => {
        const secret =
          refusal.kind === "forged" ? generateApiToken().token : await token("OWNER", refusal.kind);
        // A revoked or expired token's answer names the token (its secret matched): the caller's own.
        const mustNotLeak = refusal.kind === "forged";
        await checkCall({}, w, rightful, { outcome: refusal.outcome, mustNotLeak }, mutation, () =>
          call(secret),
        );
      });
    }
    if (!c.apiTokenRefused) {
      // Last: the allowed call may change what the others see (e.g. require two-factor sign-in).
      it(`${rightful}'s owner token on their account -> ok, as with their session`, async () => {
        const secret = await token("OWNER");
        await checkCall(c, w, rightful, { outcome: "ok", mustNotLeak: false }, mutation, () => call(secret));
      });
    }
  });
}

describe("API tokens (Authorization: Bearer)", () => {
  for (const [key, c] of Object.entries(routeCases)) {
    if ("public" in c) continue;
    if ("token" in c) {
      // Calls opened by another secret (an invitation link): the holder is a signed-in person.
      describe(`route ${key} with an API token`, () => {
        let w: World;
        beforeAll(async () => {
          w = await createWorld(db().prisma, "customerA1");
        });
        const expected: Outcome = c.apiTokenRefused ? "FORBIDDEN" : "ok";
        it(`the holder's own API token -> ${expected}${c.apiTokenRefused ? ` (${c.apiTokenRefused})` : ""}`, async () => {
          const route = await findRoute(key);
          const secret = await apiTokenFor(w, w.users.unrelated, w.agency, "OWNER");
          const { result, wrote } = await callRoute(
            route,
            c,
            w,
            "unrelated",
            () => c.tokenRequest(w, { valid: true }),
            undefined,
            asScript(secret),
          );
          expect(result.outcome, `${result.detail} ${result.text.slice(0, 300)}`).toBe(expected);
          expect(wrote).toBe(expected === "ok");
        });
      });
      continue;
    }
    apiTokenSuite(key, c);
  }
});

// ---------------------------------------------------------------------------------------------
// Support sessions: a platform operator signed in as the target's viewer acts with the viewer's
// roles and nothing of their own (their platform role included). Every call answers exactly what
// the viewer gets, and what only the person may do is refused outright, writing nothing.

interface SupportWorld {
  /** The case's world. */
  w: World;
  /** The same world as the operator's browser presents it: the viewer's seat holds the operator's session. */
  sw: World;
}

/** A fresh world whose target's viewer a platform admin has signed in as, in a session of theirs. */
async function supportWorld(target: TargetName): Promise<SupportWorld> {
  const w = await createWorld(db().prisma, target);
  const operator = await createTestUser(w.p, {
    email: `support@${w.prefix}.test`,
    name: `support ${w.prefix}`,
    roles: [{ account: w.platform, role: "ADMIN" }],
  });
  const sessionId = await w.newSession(operator);
  await startImpersonation({
    actor: { userId: operator.id, sessionId, ip: null },
    input: { userId: w.users.viewer.id, reason: "Ticket 4411: checking what the viewer sees" },
  });
  return {
    w,
    sw: { ...w, users: { ...w.users, viewer: operator }, sessions: { ...w.sessions, viewer: sessionId } },
  };
}

/** What the support session must get: FORBIDDEN for the person's own things, else the viewer's answer. */
function supportExpectation(c: CaseBase, mutation: boolean, refused: string | undefined): Expectation {
  if (refused) return { outcome: "FORBIDDEN", mustNotLeak: false };
  return expectationFor(c, "viewer", mutation);
}

/** One call through the support session; a refusal of the person's own things says why. */
function supportSuite(
  label: string,
  target: TargetName,
  want: Expectation,
  refused: string | undefined,
  run: (s: SupportWorld) => Promise<void>,
): void {
  describe(label, () => {
    let s: SupportWorld;
    beforeAll(async () => {
      await inventory();
      s = await supportWorld(target);
    });
    it(`-> ${want.outcome}${refused ? ` (${refused})` : ", as for the viewer"}`, () => run(s));
  });
}

/** Checks a support-session call that is no membership case (self, operator, token): outcome, reason, no write. */
function expectSupportOutcome(label: string, outcome: CallOutcome, want: Expectation, refused?: string) {
  const { result, wrote } = outcome;
  expect(result.outcome, `${label}: ${result.detail} ${result.text.slice(0, 300)}`).toBe(want.outcome);
  if (refused) expect(result.text, label).toContain("A support session cannot");
  if (want.outcome !== "ok") expect(wrote, `${label}: a refused call wrote to the database`).toBe(false);
}

describe("support sessions (a platform operator signed in as the target's viewer)", () => {
  for (const [key, c] of Object.entries(routeCases)) {
    if ("public" in c) continue;
    const mutation = !key.startsWith("GET ") && !key.startsWith("HEAD ");
    const refused = c.supportRefused ?? c.apiTokenRefused;
    if ("token" in c) {
      if (!refused) continue;
      const want: Expectation = { outcome: "FORBIDDEN", mustNotLeak: false };
      supportSuite(`route ${key}`, "customerA1", want, refused, async ({ w, sw }) => {
        const route = await findRoute(key);
        const outcome = await callRoute(route, c, sw, "viewer", () => c.tokenRequest(w, { valid: true }));
        expectSupportOutcome(key, outcome, want, refused);
      });
      continue;
    }
    const want = supportExpectation(c, mutation, refused);
    supportSuite(`route ${key}`, c.target ?? "customerA1", want, refused, async ({ w, sw }) => {
      const route = await findRoute(key);
      let text = "";
      // The real world for what the answer must (not) show; the operator's session for the call.
      await checkCall(c, w, "viewer", want, mutation, async () => {
        const outcome = await callRoute(route, c, sw, "viewer", () => c.request(w));
        text = outcome.result.text;
        return outcome;
      });
      if (refused) expect(text).toContain("A support session cannot");
    });
  }

  for (const [key, c] of Object.entries(actionCases)) {
    // Ending the support session is the one call of the person's own it makes: checked below.
    if ("open" in c || key === "endImpersonationAction") continue;
    const refused = c.supportRefused;
    if ("token" in c) {
      if (!refused) continue;
      const want: Expectation = { outcome: "FORBIDDEN", mustNotLeak: false };
      supportSuite(`action ${key}`, "customerA1", want, refused, async ({ w, sw }) => {
        const entry = await findAction(key);
        const outcome = await callAction(entry, await c.tokenInput(w, { valid: true }), sw, "viewer");
        expectSupportOutcome(key, outcome, want, refused);
      });
      continue;
    }
    if ("self" in c) {
      // On the user acted as (their own mail link, say), unless only they may.
      const want: Expectation = { outcome: refused ? "FORBIDDEN" : "ok", mustNotLeak: false };
      supportSuite(`action ${key}`, "customerA1", want, refused, async ({ w, sw }) => {
        const entry = await findAction(key);
        const outcome = await callAction(entry, await c.selfInput(w, w.users.viewer), sw, "viewer");
        expectSupportOutcome(key, outcome, want, refused);
      });
      continue;
    }
    if ("operator" in c) {
      // The operator's own powers stay out of a support session, whoever it acts as.
      const want: Expectation = { outcome: refused ? "FORBIDDEN" : "NOT_FOUND", mustNotLeak: true };
      supportSuite(`action ${key}`, "customerA1", want, refused, async ({ w, sw }) => {
        const entry = await findAction(key);
        expectSupportOutcome(
          key,
          await callAction(entry, await c.operatorInput(w), sw, "viewer"),
          want,
          refused,
        );
      });
      continue;
    }
    const mutation = c.mutation ?? true;
    const want = supportExpectation(c, mutation, refused);
    supportSuite(`action ${key}`, c.target ?? "customerA1", want, refused, async ({ w, sw }) => {
      const entry = await findAction(key);
      let text = "";
      await checkCall(c, w, "viewer", want, mutation, async () => {
        const outcome = await callAction(entry, await c.input(w), sw, "viewer");
        text = outcome.result.text;
        return outcome;
      });
      if (refused) expect(text).toContain("A support session cannot");
    });
  }

  describe("action endImpersonationAction", () => {
    let s: SupportWorld;
    beforeAll(async () => {
      await inventory();
      s = await supportWorld("customerA1");
    });
    it("-> ok: the one call of the person's own a support session makes; the session is the operator's again", async () => {
      const entry = await findAction("endImpersonationAction");
      const outcome = await callAction(entry, {}, s.sw, "viewer");
      expect(outcome.result.outcome, outcome.result.detail).toBe("ok");
      expect(outcome.wrote).toBe(true);
      const row = await s.w.p.userSession.findUniqueOrThrow({ where: { id: s.sw.sessions.viewer } });
      expect(row.impersonationId).toBeNull();
    });
  });
});
