/**
 * THE AUTHORIZATION TABLE: one case per REST route method (app/api/**\/route.ts) and per server
 * action (exported from a "use server" module under lib/actions/). tests/authz/authz.int.test.ts
 * lists the real routes and actions and fails for any without a case here, and for any case
 * without a route or action.
 *
 * HOW TO ADD A CASE (copy the nearest similar one)
 *   Route:  key "<METHOD> <url path with [params]>", e.g. "DELETE /api/v1/sites/[siteId]".
 *           `request(w)` returns the params/body/search that address an object of `w.target`
 *           (create a fresh one with w.newSite(), w.newUser(), w.p... when the call consumes it);
 *           `okStatus` is what the rightful caller gets.
 *   Action: key "<exported function name>", e.g. "deleteSiteAction"; `input(w)` returns its input.
 *   Then say who may do it, if not the defaults:
 *     target:   "customerA1" (default: acme, a customer of reseller A) or "resellerA" (objects
 *               owned by the reseller itself, e.g. its plans and child accounts; acme's owner,
 *               below it, is then checked to get NOT_FOUND: roles reach down, never up).
 *     rightful: who must succeed (default "targetOwner"); "resellerA" for what only the provider
 *               may do (plan assignment, suspension, termination): the target's own owner is then
 *               checked to be refused with FORBIDDEN.
 *     scope:    "object" (default: the call names an object; foreign callers get NOT_FOUND),
 *               "caller" (lists the caller's own things; foreign callers get 200/ok without any
 *               of the target's data) or "self" (changes only the caller's own user, whatever
 *               their memberships: their password, their other sessions; the input names the
 *               rightful caller's things, so every other signed-in caller, viewers included, gets
 *               ok (or `expect`), must write nothing and must not see what `shows` gives).
 *     minRole:  the weakest role allowed (e.g. "ADMIN"): a member one role below gets FORBIDDEN.
 *     foreign:  for calls naming a second object (plan, member), the call with that object taken
 *               from reseller B's tree instead; the rightful caller must get NOT_FOUND.
 *     shows:    for reads, what the rightful caller's answer must contain (e.g. w.acmeSite.id).
 *     mutation: routes: derived from the method (GET is a read); actions: default true.
 *     expect:   per-caller exceptions with a reason, e.g. the audit log is read-only yet closed to
 *               viewers: { viewer: { outcome: "FORBIDDEN", why: "..." } }. Anonymous callers are
 *               always refused and viewers never change anything: the suite rejects overrides that
 *               would allow either.
 *   API tokens: every case is also called with `Authorization: Bearer` (see the "API tokens"
 *   section of the suite): a token with the rightful caller's role on their account succeeds, a
 *   weaker, foreign, revoked or expired one is refused. For what only a person signed in to the
 *   panel may do (their sessions, two-factor, API tokens, joining accounts) give `apiTokenRefused`
 *   (why): every token is then refused with FORBIDDEN.
 *   Calls opened by a secret token instead of a membership (invitation links): give `token`
 *   (why), `anonymous` and `tokenRequest(w, { valid })` / `tokenInput(w, { valid })` instead of
 *   `request` / `input` (see TokenCase). Routes open to anonymous callers by design: `{ public }`.
 *   Actions on the caller's own user that name no account or object (their own two-factor
 *   sign-in): give `self` (why) and `selfInput(w, user)` (see SelfActionCase).
 *   Actions open to anonymous callers that name nobody's object and must not reveal whether an
 *   address has a user ("forgot your password?"): give `open` (why) and `openInput(w, address)`
 *   (see PublicActionCase).
 *   Support sessions: every case is also called by a platform operator signed in as the target's
 *   viewer (see the "support sessions" section of the suite): the answer must be the viewer's own
 *   (a support session has the roles of whom it acts as, never the operator's). For what only the
 *   person themselves may do (their password, two-factor sign-in, sessions, API tokens, joining
 *   accounts, starting a support session) give `supportRefused` (why): the call must then be
 *   refused with FORBIDDEN. A route with `apiTokenRefused` is refused to support sessions too.
 *   Routes that list the platform's own catalogue and name no object: give `namesNothing` (why).
 *   Actions on the platform's own catalogue that name no account (the runtime catalog): give
 *   `operator` (why), `minRole` and `operatorInput(w)` (see OperatorActionCase).
 *
 * The suite then checks, each call against a fresh fixture world (./world.ts): anonymous ->
 * UNAUTHENTICATED; unrelated member and reseller B's owner -> NOT_FOUND, naming nothing of the
 * target and answering exactly as for made-up ids; viewer -> FORBIDDEN for mutations; rightful
 * caller -> success (a mutation really writes, a read shows the target); every refusal writes
 * nothing (checksum of every table).
 */
import { createHash, randomBytes } from "node:crypto";
import { hashPassword } from "@/lib/auth/password";
import { totpCode } from "@/lib/auth/totp";
import { seal } from "@/lib/crypto/secret-box";
import type { AppErrorCode } from "@/lib/errors";
import type { User } from "@/lib/generated/prisma/client";
import type { Role } from "@/lib/generated/prisma/enums";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { createInvite } from "@/lib/services/membership/create-invite";
import { confirmTwoFactorEnrolment } from "@/lib/services/two-factor/confirm-two-factor-enrolment";
import { startTwoFactorEnrolment } from "@/lib/services/two-factor/start-two-factor-enrolment";
import { issueEmailToken } from "@/lib/services/user/email-token";
import { DEFAULT_PHP_SETTINGS, DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";
import { limits } from "@/tests/helpers/hosting";
import type { SignedInCaller, TargetName, World } from "./world";

export type Outcome = "ok" | AppErrorCode;

export interface CaseBase {
  target?: TargetName;
  rightful?: SignedInCaller;
  /**
   * The weakest role that may make the call, where the rightful caller holds theirs (the target,
   * or the provider's account for provider-only calls). A member one role below is checked to get
   * FORBIDDEN. VIEWER-level calls have nothing below; mutations already refuse viewers.
   */
  minRole?: Exclude<Role, "VIEWER">;
  scope?: "object" | "caller" | "self";
  expect?: Partial<Record<SignedInCaller, { outcome: Outcome; why: string }>>;
  /**
   * Something the rightful caller's answer must contain (e.g. the target's id), so that a read
   * whose refusals pass cannot be vacuous: give it for every read.
   */
  shows?(w: World): string | Promise<string>;
  /**
   * Why the request names no object at all (a listing of the platform's own catalogue, open to
   * its operator only): foreign callers are still checked to get NOT_FOUND and learn nothing, but
   * there is no id to swap for a made-up one.
   */
  namesNothing?: string;
  /**
   * Why an API token may not make this call: only a person signed in to the panel may (their own
   * sessions, two-factor sign-in, API tokens). Bearer calls are then checked to get FORBIDDEN.
   */
  apiTokenRefused?: string;
  /**
   * Why a support session (an operator signed in as a user) may not make this call: only the person
   * themselves may. Support sessions are then checked to get FORBIDDEN and write nothing.
   */
  supportRefused?: string;
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
  /**
   * For calls that name a second object (a plan to assign, a member to remove): the call with
   * the target in reach but that object taken from reseller B's tree. The rightful caller must
   * get NOT_FOUND, write nothing and learn nothing of reseller B's.
   */
  foreign?(w: World): Promise<RouteRequest>;
  /** A text/event-stream: read until `marker` (the caller's own object) arrives, then aborted. */
  stream?: { marker(w: World, caller: SignedInCaller): string };
}

export interface ActionCase extends CaseBase {
  input(w: World): Promise<unknown>;
  /** As RouteCase.foreign. */
  foreign?(w: World): Promise<unknown>;
  /** Default true: actions change things. */
  mutation?: boolean;
}

/**
 * A call authorized by a secret token (an invitation link), not by a membership. The suite checks:
 * callers with a forged token get NOT_FOUND and write nothing; anonymous callers are refused
 * unless `anonymous: "allowed"`; a caller holding a valid token succeeds (an anonymous visitor if
 * allowed, else the unrelated member, who was handed the link).
 */
export interface TokenCase {
  /** Why the token, and not a membership, is what entitles the caller. */
  token: string;
  anonymous: "allowed" | "refused";
  /** As CaseBase.apiTokenRefused. */
  apiTokenRefused?: string;
  /** As CaseBase.supportRefused. */
  supportRefused?: string;
}

export interface TokenRouteCase extends TokenCase {
  /** A request carrying a valid token to the target (a fresh one each call) or a forged one. */
  tokenRequest(w: World, token: { valid: boolean }): Promise<RouteRequest>;
  okStatus: number;
}

export interface TokenActionCase extends TokenCase {
  tokenInput(w: World, token: { valid: boolean }): Promise<unknown>;
}

/**
 * An action on the caller's own user (setting up their own two-factor sign-in): it names no
 * account, object or other user, so membership says nothing about it. The suite checks: anonymous
 * callers get UNAUTHENTICATED and write nothing; any signed-in caller succeeds, and the rows of
 * every other user (User, RecoveryCode, RememberedDevice) stay as they were.
 */
export interface SelfActionCase {
  /** Why the caller's own identity is all that entitles them. */
  self: string;
  /** As CaseBase.supportRefused. */
  supportRefused?: string;
  /** Prepares `user`'s own state for the call (e.g. enrols them) and returns the input. */
  selfInput(w: World, user: User): Promise<unknown>;
}

/**
 * An action on something of the platform's own that no account below it holds (the runtime
 * catalog: which images every tenant's sites run). Only the platform operator (a role on the root
 * platform account) may make it. The suite checks: anonymous callers get UNAUTHENTICATED; every
 * member of an account below the platform, owners of resellers and customers included, gets
 * NOT_FOUND, writes nothing and gets the very same answer as every other such caller; a platform
 * member one role below `minRole` gets FORBIDDEN; the platform's owner succeeds and writes. With
 * `missingInput`, the same call naming an entry that does not exist: refused callers cannot tell it
 * from a real one, and the operator gets NOT_FOUND.
 */
export interface OperatorActionCase {
  /** Why the platform operator alone. */
  operator: string;
  /** As CaseBase.supportRefused. */
  supportRefused?: string;
  minRole: Exclude<Role, "VIEWER">;
  operatorInput(w: World): Promise<unknown>;
  missingInput?(w: World): Promise<unknown>;
}

/**
 * An action open to anonymous callers by design that names nobody's object ("forgot your
 * password?"). The suite checks: anonymous and signed-in callers alike get ok; the answer for an
 * address that has a user and for one that has none is the same but for the address itself.
 */
export interface PublicActionCase {
  /** Why anyone may call it, and what it must not reveal. */
  open: string;
  /** The input naming an address of a user of the world (existing) or one nobody has; and that address. */
  openInput(w: World, address: { existing: boolean }): Promise<{ input: unknown; address: string }>;
}

/** A route deliberately open to anonymous callers; says why instead of giving a case. */
export interface PublicRoute {
  public: string;
}

const freshSite = async (w: World) => ({ params: { siteId: (await w.newSite()).id } });

/** A settings save that changes something on a site just created (generation 1). */
function siteSettingsChange() {
  return {
    generation: 1,
    php: { ...DEFAULT_PHP_SETTINGS, maxExecutionTime: 90 },
    env: [{ name: "API_KEY", secret: true, value: "authz-secret" }],
    resources: { ...DEFAULT_SITE_RESOURCES },
  };
}

/** A fresh site of the target with a second, non-primary domain: what the domain calls change. */
async function siteWithAlias(w: World) {
  const site = await w.newSite();
  const alias = await w.p.domain.create({
    data: { siteId: site.id, hostname: `${w.uniqueName("alias")}.example.test` },
  });
  return { siteId: site.id, domainId: alias.id };
}

/** The target's site in reach, the domain taken from reseller B's tree (globex's site). */
async function foreignDomain(w: World) {
  const { siteId } = await siteWithAlias(w);
  const theirs = await w.p.domain.findFirstOrThrow({ where: { siteId: w.globexSite.id } });
  return { siteId, domainId: theirs.id };
}

/** A fresh cron job on acme's site, made through the service by acme's owner. */
async function cronJobOf(w: World): Promise<{ id: string; name: string }> {
  const name = w.uniqueName("cron");
  const job = await createCronJob({
    actor: { userId: w.users.customerOwner.id, ip: null },
    siteId: w.acmeSite.id,
    input: { name, schedule: "0 3 * * *", command: `php ${name}.php` },
  });
  return { id: job.id, name };
}

/** One cron job per world for the reads, so that `shows` names the one the request listed. */
const worldCronJobs = new WeakMap<World, Promise<{ id: string; name: string }>>();
function theCronJob(w: World): Promise<{ id: string; name: string }> {
  let job = worldCronJobs.get(w);
  if (!job) {
    job = cronJobOf(w);
    worldCronJobs.set(w, job);
  }
  return job;
}

/** A plan owned by a reseller (default A, the target's provider). */
async function planOf(w: World, owner: World["resA"] = w.resA) {
  return w.p.plan.create({ data: { ownerAccountId: owner.id, name: w.uniqueName("plan"), ...limits() } });
}

/** A plan of reseller A that is archived (what unarchive starts from). */
async function archivedPlanOf(w: World) {
  return w.p.plan.create({
    data: { ownerAccountId: w.resA.id, name: w.uniqueName("plan"), archivedAt: new Date(), ...limits() },
  });
}

/** Suspends an account directly (default: acme), as the bulk unsuspend starts from. */
async function suspendAccountDirectly(w: World, account: World["acme"] = w.acme): Promise<void> {
  await w.p.account.update({
    where: { id: account.id },
    data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "Unpaid invoice" },
  });
}

/** An SVG logo that names its world (what a read of it must show), as base64 for the upload. */
function worldLogo(w: World): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><title>${w.prefix}-logo</title><rect width="8" height="8"/></svg>`;
}

/** Reseller A's white label (made once per world, with a logo), as the accounts below it see it. */
async function brandOf(w: World) {
  const logo = Buffer.from(worldLogo(w));
  return w.p.brand.upsert({
    where: { accountId: w.resA.id },
    create: {
      accountId: w.resA.id,
      name: `${w.prefix} Cloud`,
      primaryColor: "#1d4ed8",
      hostname: `panel.${w.prefix}.example.test`,
      logo,
      logoContentType: "image/svg+xml",
      logoSha256: createHash("sha256").update(logo).digest("hex"),
    },
    update: {},
  });
}

/** A white-label change of reseller A with a name and hostname of its own. */
function brandChange(w: World) {
  const name = w.uniqueName("brand");
  return { name, primaryColor: "#1d4ed8", hostname: `${name}.example.test` };
}

/** A fresh member of an account (default: the target), to remove or hand ownership to. */
async function memberOf(w: World, role: "ADMIN" | "DEVELOPER", account: World["acme"] = w.target) {
  const user = await w.newUser("member");
  await w.p.membership.create({ data: { userId: user.id, accountId: account.id, role } });
  return user;
}

const SUPPORT_REASON = "Ticket 4411: the customer asked for help with their site";

/**
 * Puts `user`'s world session in a support session (as the target's owner), as startImpersonation
 * leaves it, without its rules: what ending one needs. A user without a world session is left alone.
 */
async function inSupportSession(w: World, user: Pick<User, "id">): Promise<void> {
  const caller = (Object.keys(w.users) as SignedInCaller[]).find((c) => w.users[c].id === user.id);
  if (!caller) return;
  const sessionId = w.sessions[caller];
  const now = new Date();
  const support = await w.p.impersonation.create({
    data: {
      operatorUserId: user.id,
      targetUserId: w.users.customerOwner.id,
      sessionId,
      reason: SUPPORT_REASON,
      startedAt: now,
      expiresAt: new Date(now.getTime() + 3_600_000),
    },
  });
  await w.p.userSession.update({ where: { id: sessionId }, data: { impersonationId: support.id } });
}

/** The password the target's owner has when a case changes it (world users have none). */
const OWNER_PASSWORD = "owner password 123";

/** Another live session of the target's owner (another browser of theirs), to end. */
const ownerSession = async (w: World) => ({ sessionId: await w.newSession(w.users.targetOwner) });

/** Suspends the target without going through the service (the state unsuspend starts from). */
async function suspendDirectly(w: World): Promise<void> {
  await w.p.account.update({
    where: { id: w.target.id },
    data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: "Unpaid invoice" },
  });
}

/** A mailed link of a fresh user (as requestPasswordReset or a confirmation makes it), or a forged one. */
async function emailToken(
  w: World,
  purpose: "PASSWORD_RESET" | "VERIFY_EMAIL",
  valid: boolean,
): Promise<string> {
  if (!valid) return randomBytes(32).toString("base64url");
  const user = await w.newUser("mailed");
  return w.p.$transaction((tx) =>
    issueEmailToken(tx, { userId: user.id, purpose, email: user.email, validMinutes: 60, now: new Date() }),
  );
}

/** A pending invitation of an account (default: the target) with an address, mailed long enough ago to resend. */
async function mailedInviteOf(w: World, account: World["acme"] = w.target) {
  return w.p.invite.create({
    data: {
      accountId: account.id,
      role: "VIEWER",
      email: `${w.uniqueName("invitee")}@example.test`,
      tokenHash: randomBytes(32).toString("hex"),
      createdByUserId: w.users.targetOwner.id,
      expiresAt: new Date(Date.now() + 86_400_000),
      emailedAt: new Date(Date.now() - 3_600_000),
    },
  });
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

/**
 * Enrols `user` in two-factor sign-in through the services, confirming with the previous step's
 * code so that the current one is still unused. Answers the secret, to compute further codes.
 */
async function enrolTwoFactor(user: Pick<User, "id">): Promise<string> {
  const actor = { userId: user.id, ip: null };
  const { secret } = await startTwoFactorEnrolment({ actor });
  const code = totpCode({ secretBase32: secret, timestamp: Date.now() - 30_000 });
  await confirmTwoFactorEnrolment({ actor, input: { code } });
  return secret;
}

/** PHP versions no world has used yet (the catalog is shared by every world of the suite's database). */
let versionCounter = 100;
const freshPhpVersion = () => `9.${versionCounter++}`;

/** A runtime catalog entry of its own, to change. */
async function runtimeOf(w: World) {
  const phpVersion = freshPhpVersion();
  return w.p.runtimeImage.create({
    data: { phpVersion, image: `registry.example.test/sitepod/runtime:php${phpVersion}` },
  });
}

/** A database server of the world's own (servers are the platform's; the suite's database is shared). */
async function serverOf(w: World, engine: "MYSQL" | "POSTGRESQL" = "MYSQL") {
  return w.p.databaseServer.create({
    data: { name: w.uniqueName("server"), engine, host: "127.0.0.1", port: 3306, adminUser: "root" },
  });
}

/** Names the database services accept (letters, digits, underscores), unique in the suite. */
let dbNameCounter = 0;
const freshDbName = () => `n${++dbNameCounter}`;

const pendingConditions = [
  {
    type: "Ready",
    status: "False",
    reason: "Provisioning",
    message: "",
    lastTransitionTime: "",
    observedGeneration: 1,
  },
];

/** A database of an account (default: the target), written directly as the service would. */
async function databaseOf(w: World, account: World["acme"] = w.target, serverId?: string) {
  const server = serverId ?? (await serverOf(w)).id;
  return w.p.database.create({
    data: {
      accountId: account.id,
      serverId: server,
      name: `${w.prefix}_${freshDbName()}`,
      conditions: pendingConditions,
    },
  });
}

/** The target's one database, made on first use: for reads that must show it. */
async function onlyDatabaseOf(w: World) {
  return (await w.p.database.findFirst({ where: { accountId: w.target.id } })) ?? databaseOf(w);
}

/** A database user of an account (default: the target). */
async function databaseUserOf(w: World, account: World["acme"] = w.target, serverId?: string) {
  const server = serverId ?? (await serverOf(w)).id;
  return w.p.databaseUser.create({
    data: {
      accountId: account.id,
      serverId: server,
      name: `${w.prefix}_${freshDbName()}`,
      passwordCiphertext: seal("pw"),
      conditions: pendingConditions,
    },
  });
}

/** A database and a user of the target on one server, the user granted on the database. */
async function grantedPairOf(w: World) {
  const server = await serverOf(w);
  const database = await databaseOf(w, w.target, server.id);
  const user = await databaseUserOf(w, w.target, server.id);
  await w.p.databaseGrant.create({ data: { databaseId: database.id, userId: user.id } });
  return { database, user };
}

/** A fresh site of the target given a database of the target. */
async function attachmentOf(w: World) {
  const { database, user } = await grantedPairOf(w);
  const site = await w.newSite();
  const attachment = await w.p.siteDatabaseAttachment.create({
    data: { siteId: site.id, databaseId: database.id, userId: user.id },
  });
  return { siteId: site.id, attachmentId: attachment.id };
}

const OPERATOR_ONLY_SERVERS = "only the platform operator sees and manages the database servers";

const OPERATOR_ONLY_TOOLS = "only the platform operator sees the platform's health and searches it";

/**
 * A site of the target's, degraded with a reason (one per world): what the health page lists. The
 * newest degraded site of the test database, so that it is among those shown.
 */
const worldDegradedSites = new WeakMap<World, Promise<{ id: string }>>();
function degradedSiteOf(w: World): Promise<{ id: string }> {
  let site = worldDegradedSites.get(w);
  if (!site) {
    site = (async () => {
      const made = await w.newSite();
      await w.p.site.update({
        where: { id: made.id },
        data: {
          phase: "DEGRADED",
          conditions: [
            {
              type: "Degraded",
              status: "True",
              reason: "CrashLoopBackOff",
              message: "the container exits at start",
              lastTransitionTime: new Date().toISOString(),
              observedGeneration: 1,
            },
          ],
        },
      });
      return { id: made.id };
    })();
    worldDegradedSites.set(w, site);
  }
  return site;
}

/** What a support session may not do: it acts with the person's roles, it is not the person. */
const PERSONAL = "only the person themselves: a support session acts with their roles, not as them";

const SESSIONS_ARE_PEOPLE =
  "sessions are a signed-in person's own: a script holding a token must not read or end them";
const TOKENS_NEED_A_PERSON =
  "tokens are made and revoked by a person signed in to the panel: a token that could mint tokens would outlive its expiry and revocation";

/** An API token of `user` (a member) on the target, made through the service: what revocation consumes. */
async function apiTokenOf(w: World, user: Pick<User, "id">): Promise<{ id: string; name: string }> {
  const name = w.uniqueName("token");
  const { token } = await createApiToken({
    actor: { userId: user.id, ip: null },
    accountId: w.target.id,
    input: { name, role: "VIEWER", expiresInDays: 30 },
  });
  return { id: token.id, name };
}

/**
 * One token of the target's viewer per world for the reads, so that `shows` names the one listed:
 * the viewer sees their own tokens, the owner everyone's.
 */
const worldApiTokens = new WeakMap<World, Promise<{ id: string; name: string }>>();
function theApiToken(w: World): Promise<{ id: string; name: string }> {
  let token = worldApiTokens.get(w);
  if (!token) {
    token = apiTokenOf(w, w.users.viewer);
    worldApiTokens.set(w, token);
  }
  return token;
}

/** A fresh token of a fresh developer of the target: one only owners and admins may revoke. */
async function membersApiToken(w: World) {
  return apiTokenOf(w, await memberOf(w, "DEVELOPER"));
}

/** What a new token's form sends: an owner token, so that only the target's owners may make it. */
const ownerTokenRequest = (w: World) => ({ name: w.uniqueName("token"), role: "OWNER", expiresInDays: 30 });

/** A member of the target with two-factor sign-in on (what the operator resets). */
async function enrolledMemberOf(w: World): Promise<User> {
  const user = await memberOf(w, "DEVELOPER");
  await enrolTwoFactor(user);
  return user;
}

export const routeCases: Record<string, RouteCase | TokenRouteCase | PublicRoute> = {
  "GET /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },
  "POST /api/auth/[...nextauth]": { public: "next-auth's own sign-in, session and CSRF endpoints" },
  "GET /api/health/live": { public: "liveness probe: answers without reading anything" },
  "GET /api/health/ready": { public: "readiness probe: says only whether the database answers" },

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
    minRole: "DEVELOPER",
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
  "GET /api/v1/sites/[siteId]/timeline": {
    okStatus: 200,
    request: async (w) => ({ params: { siteId: w.acmeSite.id } }),
    // The site's creation, recorded when the world was made.
    shows: (w) => `Created site ${w.acmeSite.name}`,
  },
  "GET /api/v1/sites/[siteId]/dns": {
    okStatus: 200,
    request: async (w) => ({ params: { siteId: w.acmeSite.id } }),
    // The records to create name the domain (its lookup under .test finds nothing, quickly).
    shows: (w) => w.acmeSite.domain,
  },
  "DELETE /api/v1/sites/[siteId]": {
    minRole: "DEVELOPER",
    okStatus: 202,
    request: freshSite,
  },
  "PATCH /api/v1/sites/[siteId]": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: { siteId: (await w.newSite()).id }, body: siteSettingsChange() }),
  },
  "GET /api/v1/sites/[siteId]/domains": {
    okStatus: 200,
    request: async (w) => ({ params: { siteId: w.acmeSite.id } }),
    shows: (w) => w.acmeSite.domain,
  },
  "POST /api/v1/sites/[siteId]/domains": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => ({
      params: { siteId: w.acmeSite.id },
      body: { domain: `${w.uniqueName("added")}.example.test` },
    }),
  },
  "PATCH /api/v1/sites/[siteId]/domains/[domainId]": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: await siteWithAlias(w), body: { redirectToPrimary: true } }),
    foreign: async (w) => ({ params: await foreignDomain(w), body: { redirectToPrimary: true } }),
  },
  "DELETE /api/v1/sites/[siteId]/domains/[domainId]": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: await siteWithAlias(w) }),
    foreign: async (w) => ({ params: await foreignDomain(w) }),
  },
  "PATCH /api/v1/sites/[siteId]/routing": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: { siteId: w.acmeSite.id }, body: { forceHttps: true } }),
  },
  // A site's cron jobs: seen by whoever sees the site, changed by its developers and above.
  "GET /api/v1/sites/[siteId]/cron-jobs": {
    okStatus: 200,
    request: async (w) => {
      await theCronJob(w);
      return { params: { siteId: w.acmeSite.id } };
    },
    shows: async (w) => (await theCronJob(w)).id,
  },
  "POST /api/v1/sites/[siteId]/cron-jobs": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => ({
      params: { siteId: w.acmeSite.id },
      body: { name: w.uniqueName("cron"), schedule: "*/10 * * * *", command: "php cron.php" },
    }),
  },
  "GET /api/v1/cron-jobs/[cronJobId]": {
    okStatus: 200,
    request: async (w) => ({ params: { cronJobId: (await theCronJob(w)).id } }),
    shows: async (w) => (await theCronJob(w)).name,
  },
  "PATCH /api/v1/cron-jobs/[cronJobId]": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: { cronJobId: (await cronJobOf(w)).id }, body: { enabled: false } }),
  },
  "DELETE /api/v1/cron-jobs/[cronJobId]": {
    minRole: "DEVELOPER",
    okStatus: 202,
    request: async (w) => ({ params: { cronJobId: (await cronJobOf(w)).id } }),
  },
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
  // Accounts below an account, and each account's contract (its provider's business).
  "GET /api/v1/accounts/[accountId]/accounts": {
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id } }),
    shows: (w) => w.acme.id,
  },
  "POST /api/v1/accounts/[accountId]/accounts": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 201,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: {
        kind: "CUSTOMER",
        slug: w.uniqueName("acct"),
        name: w.uniqueName("customer"),
        planId: (await planOf(w)).id,
      },
    }),
    foreign: async (w) => ({
      params: { accountId: w.target.id },
      body: {
        kind: "CUSTOMER",
        slug: w.uniqueName("acct"),
        name: w.uniqueName("customer"),
        planId: (await planOf(w, w.resB)).id,
      },
    }),
  },
  "GET /api/v1/accounts/[accountId]/quota": {
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id } }),
    shows: (w) => w.target.id,
  },
  "PUT /api/v1/accounts/[accountId]/plan": {
    minRole: "ADMIN",
    rightful: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id }, body: { planId: (await planOf(w)).id } }),
    foreign: async (w) => ({
      params: { accountId: w.target.id },
      body: { planId: (await planOf(w, w.resB)).id },
    }),
  },
  "PUT /api/v1/accounts/[accountId]/suspension": {
    minRole: "ADMIN",
    rightful: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id }, body: { reason: "Unpaid invoice" } }),
  },
  "DELETE /api/v1/accounts/[accountId]/suspension": {
    minRole: "ADMIN",
    rightful: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await suspendDirectly(w);
      return { params: { accountId: w.target.id } };
    },
  },
  "POST /api/v1/accounts/[accountId]/termination": {
    minRole: "ADMIN",
    rightful: "resellerA",
    okStatus: 202,
    request: async (w) => ({ params: { accountId: w.target.id }, body: { confirmSlug: w.target.slug } }),
  },
  "GET /api/v1/accounts/[accountId]/audit-log": {
    minRole: "ADMIN",
    okStatus: 200,
    expect: { viewer: { outcome: "FORBIDDEN", why: "the audit log is for owners and admins" } },
    request: async (w) => ({ params: { accountId: w.target.id } }),
    // The creation of acme's site, recorded when the world was made.
    shows: (w) => w.acmeSite.id,
  },

  // Plans belong to the reseller that sells them.
  "GET /api/v1/accounts/[accountId]/plans": {
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await planOf(w);
      return { params: { accountId: w.target.id } };
    },
    shows: async (w) => {
      const plan = await w.p.plan.findFirst({ where: { ownerAccountId: w.target.id } });
      return plan?.id ?? "a plan of the target";
    },
  },
  "POST /api/v1/accounts/[accountId]/plans": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 201,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: { name: w.uniqueName("plan"), ...limits() },
    }),
  },
  "PATCH /api/v1/plans/[planId]": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({
      params: { planId: (await planOf(w)).id },
      body: { name: w.uniqueName("plan") },
    }),
  },
  // Archived plans stay with their accounts but are no longer offered; unused plans can be deleted.
  "DELETE /api/v1/plans/[planId]": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { planId: (await planOf(w)).id } }),
  },
  "PUT /api/v1/plans/[planId]/archive": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { planId: (await planOf(w)).id }, body: {} }),
  },
  "DELETE /api/v1/plans/[planId]/archive": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { planId: (await archivedPlanOf(w)).id } }),
  },

  // A reseller's overview of the accounts below it, and their suspension in bulk (each account its
  // provider's to suspend; naming one outside the tree refuses the whole request).
  "GET /api/v1/accounts/[accountId]/accounts/overview": {
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id }, search: { q: w.acme.slug } }),
    shows: (w) => w.acme.id,
  },
  "PUT /api/v1/accounts/[accountId]/accounts/suspension": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: { accountIds: [w.acme.id], reason: "Unpaid invoice" },
    }),
    foreign: async (w) => ({
      params: { accountId: w.target.id },
      body: { accountIds: [w.globex.id], reason: "Unpaid invoice" },
    }),
  },
  "DELETE /api/v1/accounts/[accountId]/accounts/suspension": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await suspendAccountDirectly(w);
      return { params: { accountId: w.target.id }, body: { accountIds: [w.acme.id] } };
    },
    foreign: async (w) => {
      await suspendAccountDirectly(w, w.globex);
      return { params: { accountId: w.target.id }, body: { accountIds: [w.globex.id] } };
    },
  },

  // A reseller's white label: its members see it, its owners and admins change it; the accounts
  // below it see only what their panel carries (the logo, keyed by their own account).
  "GET /api/v1/accounts/[accountId]/brand": {
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await brandOf(w);
      return { params: { accountId: w.target.id } };
    },
    shows: async (w) => (await brandOf(w)).name,
  },
  "PUT /api/v1/accounts/[accountId]/brand": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id }, body: brandChange(w) }),
  },
  "DELETE /api/v1/accounts/[accountId]/brand": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await brandOf(w);
      return { params: { accountId: w.target.id } };
    },
  },
  "PUT /api/v1/accounts/[accountId]/brand/logo": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await brandOf(w);
      const logo = Buffer.from(worldLogo(w).replace("<rect", '<circle r="3"/><rect')).toString("base64");
      return { params: { accountId: w.target.id }, body: { logo } };
    },
  },
  "DELETE /api/v1/accounts/[accountId]/brand/logo": {
    minRole: "ADMIN",
    target: "resellerA",
    okStatus: 200,
    request: async (w) => {
      await brandOf(w);
      return { params: { accountId: w.target.id } };
    },
  },
  "GET /api/v1/accounts/[accountId]/brand/logo": {
    // The logo of acme's panel: reseller A's, which acme's members see though they do not reach resA.
    okStatus: 200,
    request: async (w) => {
      await brandOf(w);
      return { params: { accountId: w.target.id } };
    },
    shows: (w) => `${w.prefix}-logo`,
  },
  "GET /api/v1/panel-brand/logo": {
    public:
      "the logo of the reseller whose own panel hostname the request came to (its Host), for the sign-in page there: branding only, no account named",
  },
  "GET /api/v1/openapi.json": {
    public:
      "the OpenAPI document of the REST API: built from the routes' schemas, it names no account or data",
  },

  // Members and invitations.
  "GET /api/v1/accounts/[accountId]/members": {
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id } }),
    shows: (w) => w.users.targetOwner.email,
  },
  "POST /api/v1/accounts/[accountId]/invites": {
    minRole: "ADMIN",
    okStatus: 201,
    request: async (w) => ({ params: { accountId: w.target.id }, body: { role: "DEVELOPER" } }),
  },
  "DELETE /api/v1/accounts/[accountId]/invites/[inviteId]": {
    minRole: "ADMIN",
    okStatus: 204,
    request: async (w) => ({ params: { accountId: w.target.id, inviteId: (await mailedInviteOf(w)).id } }),
    foreign: async (w) => ({
      params: { accountId: w.target.id, inviteId: (await mailedInviteOf(w, w.globex)).id },
    }),
  },
  "POST /api/v1/accounts/[accountId]/invites/[inviteId]/resend": {
    minRole: "ADMIN",
    okStatus: 200,
    request: async (w) => ({
      params: { accountId: w.target.id, inviteId: (await mailedInviteOf(w)).id },
      body: {},
    }),
    foreign: async (w) => ({
      params: { accountId: w.target.id, inviteId: (await mailedInviteOf(w, w.globex)).id },
      body: {},
    }),
  },
  "DELETE /api/v1/accounts/[accountId]/members/[userId]": {
    minRole: "ADMIN",
    okStatus: 204,
    request: async (w) => ({
      params: { accountId: w.target.id, userId: (await memberOf(w, "DEVELOPER")).id },
    }),
    foreign: async (w) => ({
      params: { accountId: w.target.id, userId: (await memberOf(w, "DEVELOPER", w.globex)).id },
    }),
  },
  "PUT /api/v1/accounts/[accountId]/ownership": {
    minRole: "OWNER",
    okStatus: 200,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: { userId: (await memberOf(w, "ADMIN")).id },
    }),
    foreign: async (w) => ({
      params: { accountId: w.target.id },
      body: { userId: (await memberOf(w, "ADMIN", w.globex)).id },
    }),
  },
  // A user's own sessions: nobody else's session is reachable, whatever their role.
  "GET /api/v1/user/sessions": {
    scope: "self",
    apiTokenRefused: SESSIONS_ARE_PEOPLE,
    okStatus: 200,
    request: async () => ({}),
    shows: (w) => w.sessions.targetOwner,
  },
  "DELETE /api/v1/user/sessions/[sessionId]": {
    apiTokenRefused: SESSIONS_ARE_PEOPLE,
    okStatus: 204,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: "a session belongs to its user alone, whatever the role" },
    },
    request: async (w) => ({ params: await ownerSession(w) }),
  },

  // Two-factor sign-in: an account's policy belongs to its owners and admins; resetting a user's
  // second factor to the platform operator alone.
  "PUT /api/v1/accounts/[accountId]/two-factor-policy": {
    minRole: "ADMIN",
    okStatus: 200,
    request: async (w) => ({ params: { accountId: w.target.id }, body: { requireTwoFactor: true } }),
  },
  "DELETE /api/v1/users/[userId]/two-factor": {
    apiTokenRefused:
      "resetting someone's second factor hands their account to whoever signs in next: a person decides",
    minRole: "ADMIN",
    rightful: "platformOwner",
    okStatus: 200,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: "only the platform operator resets a user's second factor" },
      targetOwner: { outcome: "NOT_FOUND", why: "only the platform operator resets a user's second factor" },
    },
    request: async (w) => ({ params: { userId: (await enrolledMemberOf(w)).id } }),
  },

  // Databases: the account's own, managed by developers and above; servers are the operator's.
  "GET /api/v1/accounts/[accountId]/databases": {
    okStatus: 200,
    request: async (w) => {
      await databaseOf(w);
      return { params: { accountId: w.target.id } };
    },
    shows: async (w) =>
      (await w.p.database.findFirst({ where: { accountId: w.target.id } }))?.name ?? "a database",
  },
  "POST /api/v1/accounts/[accountId]/databases": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: { serverId: (await serverOf(w)).id, name: freshDbName() },
    }),
  },
  "GET /api/v1/accounts/[accountId]/database-users": {
    okStatus: 200,
    request: async (w) => {
      await databaseUserOf(w);
      return { params: { accountId: w.target.id } };
    },
    shows: async (w) =>
      (await w.p.databaseUser.findFirst({ where: { accountId: w.target.id } }))?.name ?? "a database user",
  },
  "POST /api/v1/accounts/[accountId]/database-users": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => ({
      params: { accountId: w.target.id },
      body: { serverId: (await serverOf(w)).id, name: freshDbName() },
    }),
  },
  "GET /api/v1/databases/[databaseId]": {
    okStatus: 200,
    request: async (w) => ({ params: { databaseId: (await onlyDatabaseOf(w)).id } }),
    shows: async (w) => (await onlyDatabaseOf(w)).name,
  },
  "DELETE /api/v1/databases/[databaseId]": {
    minRole: "DEVELOPER",
    okStatus: 202,
    request: async (w) => {
      const database = await databaseOf(w);
      return { params: { databaseId: database.id }, body: { confirm: database.name } };
    },
  },
  "POST /api/v1/databases/[databaseId]/grants": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.target, server.id);
      const user = await databaseUserOf(w, w.target, server.id);
      return { params: { databaseId: database.id }, body: { userId: user.id } };
    },
    foreign: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.target, server.id);
      const user = await databaseUserOf(w, w.globex, server.id);
      return { params: { databaseId: database.id }, body: { userId: user.id } };
    },
  },
  "DELETE /api/v1/databases/[databaseId]/grants/[databaseUserId]": {
    minRole: "DEVELOPER",
    okStatus: 202,
    request: async (w) => {
      const { database, user } = await grantedPairOf(w);
      return { params: { databaseId: database.id, databaseUserId: user.id } };
    },
  },
  "DELETE /api/v1/database-users/[databaseUserId]": {
    minRole: "DEVELOPER",
    okStatus: 202,
    request: async (w) => ({ params: { databaseUserId: (await databaseUserOf(w)).id } }),
  },
  "POST /api/v1/database-users/[databaseUserId]/password": {
    minRole: "DEVELOPER",
    okStatus: 200,
    request: async (w) => ({ params: { databaseUserId: (await databaseUserOf(w)).id }, body: {} }),
  },
  "POST /api/v1/sites/[siteId]/databases": {
    minRole: "DEVELOPER",
    okStatus: 201,
    request: async (w) => {
      const { database, user } = await grantedPairOf(w);
      return {
        params: { siteId: (await w.newSite()).id },
        body: { databaseId: database.id, userId: user.id },
      };
    },
    foreign: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.globex, server.id);
      const user = await databaseUserOf(w, w.globex, server.id);
      await w.p.databaseGrant.create({ data: { databaseId: database.id, userId: user.id } });
      return {
        params: { siteId: (await w.newSite()).id },
        body: { databaseId: database.id, userId: user.id },
      };
    },
  },
  "DELETE /api/v1/sites/[siteId]/databases/[attachmentId]": {
    minRole: "DEVELOPER",
    okStatus: 204,
    request: async (w) => {
      const { siteId, attachmentId } = await attachmentOf(w);
      return { params: { siteId, attachmentId } };
    },
  },
  "GET /api/v1/database-servers": {
    rightful: "platformOwner",
    namesNothing: "the list of the platform's database servers, no account's object",
    okStatus: 200,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
      targetOwner: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
    },
    request: async (w) => {
      await serverOf(w);
      return {};
    },
    shows: async (w) =>
      (await w.p.databaseServer.findFirst({ where: { name: { startsWith: w.prefix } } }))?.name ?? "a server",
  },
  "POST /api/v1/database-servers": {
    minRole: "ADMIN",
    rightful: "platformOwner",
    okStatus: 201,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
      targetOwner: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
    },
    request: async (w) => ({
      body: {
        name: w.uniqueName("server"),
        engine: "POSTGRESQL",
        host: "db.internal",
        port: 5432,
        adminUser: "postgres",
      },
    }),
  },
  "PATCH /api/v1/database-servers/[serverId]": {
    minRole: "ADMIN",
    rightful: "platformOwner",
    okStatus: 200,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
      targetOwner: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_SERVERS },
    },
    request: async (w) => ({ params: { serverId: (await serverOf(w)).id }, body: { enabled: false } }),
  },

  // The platform operator's own tools: the health page and the search. Nobody below the platform
  // learns they exist.
  "GET /api/v1/platform/health": {
    rightful: "platformOwner",
    namesNothing: "the platform's own health: its reconciler, its cluster, every site's phase",
    okStatus: 200,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_TOOLS },
      targetOwner: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_TOOLS },
    },
    request: async (w) => {
      await degradedSiteOf(w);
      return {};
    },
    // The target's site, listed among the degraded ones.
    shows: async (w) => (await degradedSiteOf(w)).id,
  },
  "GET /api/v1/search": {
    rightful: "platformOwner",
    namesNothing: "a query across the whole platform, no account's object",
    okStatus: 200,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_TOOLS },
      targetOwner: { outcome: "NOT_FOUND", why: OPERATOR_ONLY_TOOLS },
    },
    // The world's prefix starts every name of the world: its accounts, users and sites all match.
    request: async (w) => ({ search: { q: w.prefix } }),
    shows: (w) => w.target.slug,
  },

  // API tokens: each member makes their own (no stronger than their role); owners and admins see
  // and revoke everyone's. Never through a token.
  "GET /api/v1/accounts/[accountId]/api-tokens": {
    apiTokenRefused: TOKENS_NEED_A_PERSON,
    okStatus: 200,
    request: async (w) => {
      await theApiToken(w);
      return { params: { accountId: w.target.id } };
    },
    shows: async (w) => (await theApiToken(w)).id,
  },
  "POST /api/v1/accounts/[accountId]/api-tokens": {
    apiTokenRefused: TOKENS_NEED_A_PERSON,
    // An owner token: a viewer, or an admin, cannot give a token a stronger role than theirs.
    minRole: "OWNER",
    okStatus: 201,
    request: async (w) => ({ params: { accountId: w.target.id }, body: ownerTokenRequest(w) }),
  },
  "DELETE /api/v1/api-tokens/[tokenId]": {
    apiTokenRefused: TOKENS_NEED_A_PERSON,
    // Another member's token: only owners and admins revoke those (each member revokes their own).
    minRole: "ADMIN",
    okStatus: 200,
    request: async (w) => ({ params: { tokenId: (await membersApiToken(w)).id } }),
  },

  "POST /api/v1/invites/accept": {
    token: "the invitation link is the capability: whoever holds it joins, once",
    anonymous: "refused",
    apiTokenRefused: "joining an account widens what the person may reach: they accept it themselves",
    okStatus: 200,
    tokenRequest: async (w, { valid }) => ({ body: { token: await inviteToken(w, valid) } }),
  },
};

export const actionCases: Record<
  string,
  ActionCase | TokenActionCase | SelfActionCase | OperatorActionCase | PublicActionCase
> = {
  // A user's own sessions and password.
  endSessionAction: {
    supportRefused: PERSONAL,
    expect: {
      viewer: { outcome: "NOT_FOUND", why: "a session belongs to its user alone, whatever the role" },
    },
    input: ownerSession,
  },
  endOtherSessionsAction: {
    supportRefused: PERSONAL,
    scope: "self",
    // The owner has another session to end; every other caller has only the one they call from.
    input: async (w) => {
      await ownerSession(w);
      return {};
    },
  },
  changePasswordAction: {
    supportRefused: PERSONAL,
    scope: "self",
    expect: {
      unrelated: { outcome: "INVALID_INPUT", why: "the current password given is the owner's, not theirs" },
      resellerB: { outcome: "INVALID_INPUT", why: "the current password given is the owner's, not theirs" },
      viewer: { outcome: "INVALID_INPUT", why: "the current password given is the owner's, not theirs" },
    },
    input: async (w) => {
      await w.p.user.update({
        where: { id: w.users.targetOwner.id },
        data: { passwordHash: await hashPassword(OWNER_PASSWORD) },
      });
      const next = `new ${w.uniqueName("pw")}`;
      return { currentPassword: OWNER_PASSWORD, newPassword: next, confirmPassword: next };
    },
  },
  // A user's own profile and the links Sitepod mails them.
  updateProfileAction: {
    supportRefused: PERSONAL,
    self: "changes the caller's own name",
    selfInput: async (w) => ({ name: w.uniqueName("name") }),
  },
  requestEmailChangeAction: {
    supportRefused: PERSONAL,
    self: "asks to change the caller's own address, proven by their password",
    selfInput: async (w, user) => {
      await w.p.user.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword(OWNER_PASSWORD) },
      });
      return { email: `${w.uniqueName("new")}@example.test`, currentPassword: OWNER_PASSWORD };
    },
  },
  resendVerificationAction: {
    self: "mails the caller a link confirming their own address",
    selfInput: async (w, user) => {
      await w.p.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
      return {};
    },
  },
  requestPasswordResetAction: {
    open: "whoever forgot their password is not signed in; the answer must not tell who has a user",
    openInput: async (w, { existing }) => {
      const address = existing ? (await w.newUser("forgot")).email : `${w.uniqueName("nobody")}@example.test`;
      return { input: { email: address }, address };
    },
  },
  resetPasswordAction: {
    token: "the mailed reset link is the capability: whoever holds it sets the password, once",
    anonymous: "allowed",
    tokenInput: async (w, { valid }) => ({
      token: await emailToken(w, "PASSWORD_RESET", valid),
      newPassword: "a new password 123",
      confirmPassword: "a new password 123",
    }),
  },
  verifyEmailAction: {
    token: "the mailed confirmation link proves the mailbox, signed in or not",
    anonymous: "allowed",
    tokenInput: async (w, { valid }) => ({ token: await emailToken(w, "VERIFY_EMAIL", valid) }),
  },
  createSiteAction: {
    minRole: "DEVELOPER",
    input: async (w) => {
      const name = w.uniqueName("new");
      return { accountId: w.target.id, name, domain: `${name}.example.test` };
    },
  },
  deleteSiteAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ siteId: (await w.newSite()).id }),
  },
  updateSiteAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ siteId: (await w.newSite()).id, ...siteSettingsChange() }),
  },
  addDomainAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ siteId: w.acmeSite.id, domain: `${w.uniqueName("added")}.example.test` }),
  },
  updateDomainAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ ...(await siteWithAlias(w)), redirectToPrimary: true }),
    foreign: async (w) => ({ ...(await foreignDomain(w)), redirectToPrimary: true }),
  },
  removeDomainAction: {
    minRole: "DEVELOPER",
    input: siteWithAlias,
    foreign: foreignDomain,
  },
  setForceHttpsAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ siteId: w.acmeSite.id, forceHttps: true }),
  },
  createCronJobAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({
      siteId: w.acmeSite.id,
      name: w.uniqueName("cron"),
      schedule: "*/10 * * * *",
      command: "php cron.php",
    }),
  },
  updateCronJobAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ cronJobId: (await cronJobOf(w)).id, enabled: false, schedule: "0 4 * * *" }),
  },
  deleteCronJobAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ cronJobId: (await cronJobOf(w)).id }),
  },

  // Accounts: children are created by the parent's admins; a child's contract (plan, suspension,
  // termination, allotment) belongs to its provider, never to the child's own owner.
  createAccountAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({
      parentId: w.target.id,
      kind: "CUSTOMER",
      slug: w.uniqueName("acct"),
      name: w.uniqueName("customer"),
      planId: (await planOf(w)).id,
    }),
    foreign: async (w) => ({
      parentId: w.target.id,
      kind: "CUSTOMER",
      slug: w.uniqueName("acct"),
      name: w.uniqueName("customer"),
      planId: (await planOf(w, w.resB)).id,
    }),
  },
  assignPlanAction: {
    minRole: "ADMIN",
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, planId: (await planOf(w)).id }),
    foreign: async (w) => ({ accountId: w.target.id, planId: (await planOf(w, w.resB)).id }),
  },
  suspendAccountAction: {
    minRole: "ADMIN",
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, reason: "Unpaid invoice" }),
  },
  unsuspendAccountAction: {
    minRole: "ADMIN",
    rightful: "resellerA",
    input: async (w) => {
      await suspendDirectly(w);
      return { accountId: w.target.id };
    },
  },
  terminateAccountAction: {
    minRole: "ADMIN",
    rightful: "resellerA",
    input: async (w) => ({ accountId: w.target.id, confirmSlug: w.target.slug }),
  },
  setAllotmentAction: {
    minRole: "ADMIN",
    target: "resellerA",
    rightful: "platformOwner",
    input: async (w) => ({ accountId: w.target.id, ...limits(), oversellRatio: 1 }),
  },

  // Plans belong to the reseller that sells them.
  createPlanAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ ownerAccountId: w.target.id, name: w.uniqueName("plan"), ...limits() }),
  },
  updatePlanAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ planId: (await planOf(w)).id, name: w.uniqueName("plan") }),
  },
  archivePlanAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ planId: (await planOf(w)).id }),
  },
  unarchivePlanAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ planId: (await archivedPlanOf(w)).id }),
  },
  deletePlanAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ planId: (await planOf(w)).id }),
  },

  // Bulk suspension of the accounts below a reseller.
  bulkSuspendAccountsAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ parentId: w.target.id, accountIds: [w.acme.id], reason: "Unpaid invoice" }),
    foreign: async (w) => ({ parentId: w.target.id, accountIds: [w.globex.id], reason: "Unpaid invoice" }),
  },
  bulkUnsuspendAccountsAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => {
      await suspendAccountDirectly(w);
      return { parentId: w.target.id, accountIds: [w.acme.id] };
    },
    foreign: async (w) => {
      await suspendAccountDirectly(w, w.globex);
      return { parentId: w.target.id, accountIds: [w.globex.id] };
    },
  },

  // A reseller's white label.
  updateBrandAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => ({ accountId: w.target.id, ...brandChange(w) }),
  },
  removeBrandAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => {
      await brandOf(w);
      return { accountId: w.target.id };
    },
  },
  setBrandLogoAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => {
      await brandOf(w);
      const logo = Buffer.from(worldLogo(w).replace("<rect", '<circle r="3"/><rect')).toString("base64");
      return { accountId: w.target.id, logo };
    },
  },
  removeBrandLogoAction: {
    minRole: "ADMIN",
    target: "resellerA",
    input: async (w) => {
      await brandOf(w);
      return { accountId: w.target.id };
    },
  },

  // Members.
  createInviteAction: {
    minRole: "ADMIN",
    input: async (w) => ({ accountId: w.target.id, role: "DEVELOPER" }),
  },
  resendInviteAction: {
    minRole: "ADMIN",
    input: async (w) => ({ accountId: w.target.id, inviteId: (await mailedInviteOf(w)).id }),
    foreign: async (w) => ({ accountId: w.target.id, inviteId: (await mailedInviteOf(w, w.globex)).id }),
  },
  revokeInviteAction: {
    minRole: "ADMIN",
    input: async (w) => ({ accountId: w.target.id, inviteId: (await mailedInviteOf(w)).id }),
    foreign: async (w) => ({ accountId: w.target.id, inviteId: (await mailedInviteOf(w, w.globex)).id }),
  },
  removeMemberAction: {
    minRole: "ADMIN",
    input: async (w) => ({ accountId: w.target.id, userId: (await memberOf(w, "DEVELOPER")).id }),
    foreign: async (w) => ({
      accountId: w.target.id,
      userId: (await memberOf(w, "DEVELOPER", w.globex)).id,
    }),
  },
  transferOwnershipAction: {
    minRole: "OWNER",
    input: async (w) => ({ accountId: w.target.id, userId: (await memberOf(w, "ADMIN")).id }),
    foreign: async (w) => ({ accountId: w.target.id, userId: (await memberOf(w, "ADMIN", w.globex)).id }),
  },

  // Two-factor sign-in: the account's policy, the operator's reset, and each user's own set-up.
  setTwoFactorPolicyAction: {
    minRole: "ADMIN",
    input: async (w) => ({ accountId: w.target.id, requireTwoFactor: true }),
  },
  resetUserTwoFactorAction: {
    supportRefused: PERSONAL,
    minRole: "ADMIN",
    rightful: "platformOwner",
    expect: {
      viewer: { outcome: "NOT_FOUND", why: "only the platform operator resets a user's second factor" },
      targetOwner: {
        outcome: "NOT_FOUND",
        why: "only the platform operator resets a user's second factor",
      },
    },
    input: async (w) => ({ userId: (await enrolledMemberOf(w)).id }),
  },
  startTwoFactorEnrolmentAction: {
    supportRefused: PERSONAL,
    self: "sets up the caller's own authenticator; names no one else",
    selfInput: async () => ({}),
  },
  confirmTwoFactorEnrolmentAction: {
    supportRefused: PERSONAL,
    self: "confirms the caller's own pending authenticator; names no one else",
    selfInput: async (_w, user) => {
      const { secret } = await startTwoFactorEnrolment({ actor: { userId: user.id, ip: null } });
      return { code: totpCode({ secretBase32: secret, timestamp: Date.now() }) };
    },
  },
  disableTwoFactorAction: {
    supportRefused: PERSONAL,
    self: "turns off the caller's own second factor, proven by their password and a code",
    selfInput: async (w, user) => {
      await w.p.user.update({
        where: { id: user.id },
        data: { passwordHash: await hashPassword("pw-2fa-test") },
      });
      const secret = await enrolTwoFactor(user);
      return { password: "pw-2fa-test", code: totpCode({ secretBase32: secret, timestamp: Date.now() }) };
    },
  },
  regenerateRecoveryCodesAction: {
    supportRefused: PERSONAL,
    self: "replaces the caller's own recovery codes, proven by a current code",
    selfInput: async (_w, user) => {
      const secret = await enrolTwoFactor(user);
      return { code: totpCode({ secretBase32: secret, timestamp: Date.now() }) };
    },
  },

  // The runtime catalog: the platform operator decides which images every tenant's sites run.
  createRuntimeImageAction: {
    operator: "the runtime catalog is the platform's: it decides which image every tenant's sites run",
    minRole: "ADMIN",
    operatorInput: async () => {
      const phpVersion = freshPhpVersion();
      return { phpVersion, image: `registry.example.test/sitepod/runtime:php${phpVersion}`, label: "Test" };
    },
  },
  updateRuntimeImageAction: {
    operator: "the runtime catalog is the platform's: it decides which image every tenant's sites run",
    minRole: "ADMIN",
    operatorInput: async (w) => ({
      runtimeImageId: (await runtimeOf(w)).id,
      image: `registry.example.test/sitepod/runtime:${w.uniqueName("tag")}`,
      enabled: false,
    }),
    missingInput: async (w) => ({
      runtimeImageId: `cm${randomBytes(11).toString("hex")}`,
      image: `registry.example.test/sitepod/runtime:${w.uniqueName("tag")}`,
    }),
  },

  // Databases.
  createDatabaseAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ accountId: w.target.id, serverId: (await serverOf(w)).id, name: freshDbName() }),
  },
  deleteDatabaseAction: {
    minRole: "DEVELOPER",
    input: async (w) => {
      const database = await databaseOf(w);
      return { databaseId: database.id, confirm: database.name };
    },
  },
  createDatabaseUserAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ accountId: w.target.id, serverId: (await serverOf(w)).id, name: freshDbName() }),
  },
  deleteDatabaseUserAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ databaseUserId: (await databaseUserOf(w)).id }),
  },
  resetDatabaseUserPasswordAction: {
    minRole: "DEVELOPER",
    input: async (w) => ({ databaseUserId: (await databaseUserOf(w)).id }),
  },
  grantDatabaseAccessAction: {
    minRole: "DEVELOPER",
    input: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.target, server.id);
      return { databaseId: database.id, userId: (await databaseUserOf(w, w.target, server.id)).id };
    },
    foreign: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.target, server.id);
      return { databaseId: database.id, userId: (await databaseUserOf(w, w.globex, server.id)).id };
    },
  },
  revokeDatabaseAccessAction: {
    minRole: "DEVELOPER",
    input: async (w) => {
      const { database, user } = await grantedPairOf(w);
      return { databaseId: database.id, databaseUserId: user.id };
    },
  },
  attachDatabaseAction: {
    minRole: "DEVELOPER",
    input: async (w) => {
      const { database, user } = await grantedPairOf(w);
      return {
        siteId: (await w.newSite()).id,
        databaseId: database.id,
        userId: user.id,
        envPrefix: "SHOP_",
      };
    },
    foreign: async (w) => {
      const server = await serverOf(w);
      const database = await databaseOf(w, w.globex, server.id);
      const user = await databaseUserOf(w, w.globex, server.id);
      await w.p.databaseGrant.create({ data: { databaseId: database.id, userId: user.id } });
      return { siteId: (await w.newSite()).id, databaseId: database.id, userId: user.id };
    },
  },
  detachDatabaseAction: {
    minRole: "DEVELOPER",
    input: attachmentOf,
  },
  createDatabaseServerAction: {
    operator: "database servers are the platform's: their admin credentials reach every tenant's databases",
    minRole: "ADMIN",
    operatorInput: async (w) => ({
      name: w.uniqueName("server"),
      engine: "MYSQL",
      host: "db.internal",
      port: 3306,
      adminUser: "root",
      adminPassword: "secret",
    }),
  },
  updateDatabaseServerAction: {
    operator: "database servers are the platform's: their admin credentials reach every tenant's databases",
    minRole: "ADMIN",
    operatorInput: async (w) => ({ serverId: (await serverOf(w)).id, port: 3307 }),
    missingInput: async () => ({ serverId: `cm${randomBytes(11).toString("hex")}`, port: 3307 }),
  },

  // API tokens (see the routes).
  createApiTokenAction: {
    supportRefused: PERSONAL,
    minRole: "OWNER",
    input: async (w) => ({ accountId: w.target.id, ...ownerTokenRequest(w) }),
  },
  revokeApiTokenAction: {
    supportRefused: PERSONAL,
    minRole: "ADMIN",
    input: async (w) => ({ tokenId: (await membersApiToken(w)).id }),
  },
  // Mints a token as createApiTokenAction does: an owner's, so that an admin is refused the role.
  downloadKubeconfigAction: {
    minRole: "OWNER",
    input: async (w) => ({ accountId: w.target.id, role: "OWNER", expiresInDays: "30" }),
  },

  // Support sessions: the operator signs in as a user (never from inside one); anyone in one ends it.
  startImpersonationAction: {
    operator: "signing in as a user is the platform operator's support tool: it borrows the user's roles",
    supportRefused: "a support session cannot start another one from inside it",
    minRole: "ADMIN",
    operatorInput: async (w) => ({ userId: (await memberOf(w, "DEVELOPER")).id, reason: SUPPORT_REASON }),
    missingInput: async () => ({ userId: `cm${randomBytes(11).toString("hex")}`, reason: SUPPORT_REASON }),
  },
  endImpersonationAction: {
    self: "ends the support session the caller's own browser session is in; names nothing else",
    selfInput: async (w, user) => {
      await inSupportSession(w, user);
      return {};
    },
  },

  // Invitation links.
  acceptInviteAction: {
    supportRefused: PERSONAL,
    token: "the invitation link is the capability: whoever holds it joins, once",
    anonymous: "refused",
    tokenInput: async (w, { valid }) => ({ token: await inviteToken(w, valid) }),
  },
  registerUserAction: {
    token: "Sitepod has no open sign-up: only a pending invitation lets an anonymous visitor register",
    anonymous: "allowed",
    tokenInput: async (w, { valid }) => ({
      token: await inviteToken(w, valid),
      name: "New user",
      email: `${w.uniqueName("reg")}@example.test`,
      password: "correct horse battery",
    }),
  },
};
