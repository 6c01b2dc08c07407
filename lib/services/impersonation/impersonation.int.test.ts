/**
 * Support sessions against a real MariaDB, through the real session lookup (only next-auth's JWT
 * and the request headers are stand-ins): an operator signs in as a customer with a reason, the
 * session then acts as the customer and nothing more, the customer's audit log shows it and names
 * the operator for every change, and it ends on demand, at its time limit and at sign-out. The
 * refusals write nothing.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor as SessionActor } from "@/lib/auth/session";
import { endSessionOnSignOut } from "@/lib/auth/session-lifecycle";
import { IMPERSONATION_MINUTES } from "@/lib/authz/impersonation";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { listAuditLog } from "@/lib/services/audit-log/list-audit-log";
import { listDatabaseServers } from "@/lib/services/database/list-database-servers";
import { endImpersonation } from "@/lib/services/impersonation/end-impersonation";
import { startImpersonation } from "@/lib/services/impersonation/start-impersonation";
import { getPlatformHealth } from "@/lib/services/platform/get-platform-health";
import { searchPlatform } from "@/lib/services/platform/search-platform";
import { getAccountQuota } from "@/lib/services/quota/get-account-quota";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { endOtherUserSessions } from "@/lib/services/session/end-other-user-sessions";
import { activeSessionState, findActiveUserSession } from "@/lib/services/session/find-active-user-session";
import { startTwoFactorEnrolment } from "@/lib/services/two-factor/start-two-factor-enrolment";
import { changePassword } from "@/lib/services/user/change-password";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

// getSessionUser reads next-auth's session; here it answers whatever the test put in `current`.
const current: { session: { user: { id: string; email: string; name: string }; sessionId?: string } | null } =
  { session: null };
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => current.session,
}));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "Firefox" }),
  cookies: async () => ({ get: () => undefined, getAll: () => [], has: () => false }),
}));
vi.mock("next/cache", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/cache")>()),
  revalidatePath: () => {},
  revalidateTag: () => {},
}));

const db = withTestDatabase();
let t: HostingTree;
let counter = 0;
const REASON = "Ticket 4411: the site shows a database error";

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
  await db().prisma.user.update({ where: { id: t.platformOwner.id }, data: { name: "Olivia Operator" } });
  await db().prisma.user.update({ where: { id: t.acmeOwner.id }, data: { name: "Dana Customer" } });
});

beforeEach(() => {
  current.session = null;
});

/** A browser session of `user`: a UserSession row, and the JWT next-auth would hand back for it. */
async function signedIn(user: { id: string; email: string; name: string }): Promise<string> {
  const sessionId = await createUserSession({
    userId: user.id,
    ip: "198.51.100.4",
    userAgent: "Firefox",
    maxAgeSeconds: 8 * 3600,
  });
  current.session = { user: { id: user.id, email: user.email, name: user.name }, sessionId };
  return sessionId;
}

/** The operator's actor as a request of their session makes it. */
async function requestActor(): Promise<SessionActor> {
  const { requireActor } = await import("@/lib/auth/session");
  return requireActor();
}

async function newOperator(role: "OWNER" | "ADMIN" | "VIEWER" = "ADMIN") {
  counter += 1;
  return createTestUser(db().prisma, {
    email: `operator-${counter}@platform.test`,
    name: `Operator ${counter}`,
    roles: [{ account: t.platform, role }],
  });
}

/** What the refusals must leave as it was. */
async function snapshot() {
  const p = db().prisma;
  return JSON.stringify({
    impersonations: await p.impersonation.count(),
    changes: await p.changeLog.count(),
    sessions: await p.userSession.findMany({
      select: { id: true, impersonationId: true },
      orderBy: { id: "asc" },
    }),
  });
}

describe("starting a support session", () => {
  it("makes the operator's session act as the customer, recorded in each of the customer's accounts", async () => {
    const p = db().prisma;
    const sessionId = await signedIn(t.platformOwner);
    const operator = await requestActor();
    expect(operator).toMatchObject({ userId: t.platformOwner.id, impersonation: null });

    const started = await startImpersonation({
      actor: operator,
      input: { userId: t.acmeOwner.id, reason: REASON },
    });
    expect(started).toMatchObject({ targetName: "Dana Customer", home: "/" });

    const row = await p.impersonation.findUniqueOrThrow({ where: { id: started.impersonationId } });
    expect(row).toMatchObject({
      operatorUserId: t.platformOwner.id,
      targetUserId: t.acmeOwner.id,
      sessionId,
      reason: REASON,
      endedAt: null,
      ip: operator.ip,
    });
    expect(row.expiresAt.getTime() - row.startedAt.getTime()).toBe(IMPERSONATION_MINUTES * 60_000);
    expect((await p.userSession.findUniqueOrThrow({ where: { id: sessionId } })).impersonationId).toBe(
      row.id,
    );

    // The same JWT now acts as the customer, and says who really acts.
    const { getSessionUser } = await import("@/lib/auth/session");
    expect(await getSessionUser()).toMatchObject({
      id: t.acmeOwner.id,
      email: t.acmeOwner.email,
      name: "Dana Customer",
      sessionId,
      impersonation: {
        id: row.id,
        operatorUserId: t.platformOwner.id,
        operatorName: "Olivia Operator",
        reason: REASON,
      },
    });
    const support = await requestActor();
    expect(support).toMatchObject({
      userId: t.acmeOwner.id,
      sessionId,
      impersonation: { id: row.id, operatorUserId: t.platformOwner.id },
    });

    const changes = await p.changeLog.findMany({ where: { kind: "Impersonation", objectId: row.id } });
    expect(changes).toEqual([
      expect.objectContaining({
        accountId: t.acme.id,
        action: "CREATED",
        actorUserId: t.platformOwner.id,
        impersonationId: row.id,
        summary: `Support (Olivia Operator) signed in as Dana Customer: ${REASON}`,
      }),
    ]);

    // The customer reads it as about them, in their own audit log.
    const log = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(log[0]).toMatchObject({
      kind: "Impersonation",
      summary: `Support (Olivia Operator) signed in as you: ${REASON}`,
      support: { operatorName: "Olivia Operator", asName: "Dana Customer" },
    });
    // Their reseller reads the customer's name.
    const resellerLog = await listAuditLog({ actor: { userId: t.resAAdmin.id }, accountId: t.resA.id });
    expect(resellerLog[0]?.summary).toBe(`Support (Olivia Operator) signed in as Dana Customer: ${REASON}`);

    await endImpersonation({ actor: support });
  });

  it("refuses, writing nothing: a platform viewer, members below the platform, oneself, another operator, a user of no account, an unknown user", async () => {
    const viewer = await newOperator("VIEWER");
    const other = await newOperator("ADMIN");
    const loner = await createTestUser(db().prisma, { email: "loner@test.test", name: "Loner" });
    const admin = await newOperator("ADMIN");
    const cases: {
      who: { id: string; email: string; name: string };
      userId: string;
      code: string;
      message?: RegExp;
    }[] = [
      { who: viewer, userId: t.acmeOwner.id, code: "FORBIDDEN", message: /viewer/ },
      { who: t.resAAdmin, userId: t.acmeOwner.id, code: "NOT_FOUND" },
      { who: t.acmeOwner, userId: t.acmeViewer.id, code: "NOT_FOUND" },
      { who: admin, userId: admin.id, code: "FORBIDDEN", message: /yourself/ },
      { who: admin, userId: other.id, code: "FORBIDDEN", message: /platform operator/ },
      { who: admin, userId: t.platformOwner.id, code: "FORBIDDEN", message: /platform operator/ },
      { who: admin, userId: loner.id, code: "FORBIDDEN", message: /belongs to no account/ },
      { who: admin, userId: "cmdoesnotexist000000000000", code: "NOT_FOUND" },
    ];
    for (const c of cases) {
      await signedIn(c.who);
      const actor = await requestActor();
      const before = await snapshot();
      const err = await rejection(startImpersonation({ actor, input: { userId: c.userId, reason: REASON } }));
      expect(err.code, `${c.who.email} -> ${c.userId}`).toBe(c.code);
      if (c.message) expect(err.message).toMatch(c.message);
      expect(await snapshot(), `${c.who.email} -> ${c.userId} wrote`).toBe(before);
    }
  });

  it("asks for a reason, and refuses an API token", async () => {
    const admin = await newOperator("ADMIN");
    await signedIn(admin);
    const actor = await requestActor();
    const before = await snapshot();
    expect(
      await rejection(startImpersonation({ actor, input: { userId: t.acmeOwner.id, reason: "  " } })),
    ).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { reason: expect.stringMatching(/at least 10/) } });
    const token = {
      id: "tok",
      name: "ci",
      accountId: t.platform.id,
      accountPath: t.platform.path,
      role: "OWNER" as const,
    };
    expect(
      await rejection(
        startImpersonation({
          actor: { userId: admin.id, token },
          input: { userId: t.acmeOwner.id, reason: REASON },
        }),
      ),
    ).toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/^An API token cannot/) });
    expect(await snapshot()).toBe(before);
  });
});

describe("acting as the customer", () => {
  let operator: Awaited<ReturnType<typeof newOperator>>;
  let support: SessionActor;

  beforeAll(async () => {
    operator = await newOperator("OWNER");
    await signedIn(operator);
    await startImpersonation({
      actor: await requestActor(),
      input: { userId: t.acmeOwner.id, reason: REASON },
    });
    support = await requestActor();
  });

  beforeEach(() => {
    // Every test of this block makes its calls through the operator's browser session.
    current.session = {
      user: { id: operator.id, email: operator.email, name: operator.name },
      sessionId: support.sessionId,
    };
  });

  it("records what it changes as the operator's doing, in the support session", async () => {
    const { createInviteAction } = await import("@/lib/actions/membership/create-invite-action");
    const result = await createInviteAction({ accountId: t.acme.id, role: "DEVELOPER" });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    const row = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Invite", accountId: t.acme.id },
      orderBy: { id: "desc" },
    });
    expect(row).toMatchObject({ actorUserId: operator.id, impersonationId: support.impersonation?.id });
    const [entry] = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(entry).toMatchObject({
      kind: "Invite",
      support: { operatorName: operator.name, asName: "Dana Customer" },
    });
  });

  it("reaches what the customer reaches and nothing more: not another customer, not the operator's platform", async () => {
    expect((await getAccountQuota({ actor: support, accountId: t.acme.id })).accountId).toBe(t.acme.id);
    expect((await rejection(getAccountQuota({ actor: support, accountId: t.globex.id }))).code).toBe(
      "NOT_FOUND",
    );
    for (const call of [
      () => listDatabaseServers({ actor: support }),
      () => searchPlatform({ actor: support, input: { q: "acme" } }),
      () =>
        getPlatformHealth({ actor: support, probe: async () => ({ state: "not-configured", message: "" }) }),
    ]) {
      expect((await rejection(call())).code).toBe("NOT_FOUND");
    }
  });

  it("cannot do what only the customer may do, nor start another support session", async () => {
    const before = await snapshot();
    const refusals = [
      changePassword({
        actor: support,
        input: {
          currentPassword: "x",
          newPassword: "a new password 123",
          confirmPassword: "a new password 123",
        },
      }),
      startTwoFactorEnrolment({ actor: support }),
      createApiToken({
        actor: support,
        accountId: t.acme.id,
        input: { name: "ci", role: "VIEWER", expiresInDays: 30 },
      }),
      startImpersonation({ actor: support, input: { userId: t.acmeViewer.id, reason: REASON } }),
    ];
    for (const refusal of refusals) {
      const err = await rejection(refusal);
      expect(err.code).toBe("FORBIDDEN");
      expect(err.message).toMatch(/^A support session cannot/);
    }
    expect(await snapshot()).toBe(before);
  });

  it("keeps an open event stream only while the session acts as whom it did", async () => {
    const { sessionStillActive } = await import("@/lib/live/credential-checks");
    expect(await sessionStillActive(support)).toBe(true);
    // The same session seen as the operator's own (a stream opened before the support session).
    expect(await sessionStillActive({ ...support, userId: operator.id, impersonation: null })).toBe(false);
  });
});

describe("ending a support session", () => {
  async function supportSession() {
    const operator = await newOperator("ADMIN");
    const sessionId = await signedIn(operator);
    const { impersonationId } = await startImpersonation({
      actor: await requestActor(),
      input: { userId: t.acmeOwner.id, reason: REASON },
    });
    return { operator, sessionId, impersonationId, actor: await requestActor() };
  }

  it("ends on demand: the session is the operator's again, and the customer reads that it ended", async () => {
    const p = db().prisma;
    const s = await supportSession();
    const ended = await endImpersonation({ actor: s.actor });
    expect(ended).toEqual({ ended: true, home: `/accounts/${t.platform.slug}/search` });
    expect(await p.impersonation.findUniqueOrThrow({ where: { id: s.impersonationId } })).toMatchObject({
      endReason: "ended",
      endedAt: expect.any(Date),
    });
    expect(
      (await p.userSession.findUniqueOrThrow({ where: { id: s.sessionId } })).impersonationId,
    ).toBeNull();
    expect(await requestActor()).toMatchObject({ userId: s.operator.id, impersonation: null });
    const [entry] = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(entry).toMatchObject({
      kind: "Impersonation",
      summary: `Support (${s.operator.name}) stopped acting as you`,
    });

    // A second "End" (another tab) changes nothing.
    const changes = await p.changeLog.count();
    expect(await endImpersonation({ actor: s.actor })).toMatchObject({ ended: false });
    expect(await p.changeLog.count()).toBe(changes);
  });

  it("ends by itself at its time limit, at the first request after it", async () => {
    const p = db().prisma;
    const s = await supportSession();
    const row = await p.impersonation.findUniqueOrThrow({ where: { id: s.impersonationId } });
    const justBefore = new Date(row.expiresAt.getTime() - 1);
    expect(
      (await findActiveUserSession({ sessionId: s.sessionId, userId: s.operator.id, now: justBefore }))
        ?.impersonation?.id,
    ).toBe(row.id);

    const after = new Date(row.expiresAt.getTime() + 1);
    const found = await findActiveUserSession({ sessionId: s.sessionId, userId: s.operator.id, now: after });
    expect(found).toMatchObject({ userId: s.operator.id, impersonation: null });
    expect(await p.impersonation.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({
      endReason: "expired",
      endedAt: row.expiresAt,
    });
    const [entry] = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(entry?.summary).toBe(
      `Support (${s.operator.name}) stopped acting as you: the support session ended after ${IMPERSONATION_MINUTES} minutes`,
    );
  });

  it("ends an open event stream's support session at its time limit, as it does for a request", async () => {
    const p = db().prisma;
    const s = await supportSession();
    const row = await p.impersonation.findUniqueOrThrow({ where: { id: s.impersonationId } });
    const check = (now: Date) => activeSessionState({ sessionId: s.sessionId, userId: s.operator.id, now });
    expect(await check(new Date(row.expiresAt.getTime() - 1))).toEqual({ impersonationId: row.id });
    // Past its time the session is the operator's own again: a stream opened as the customer ends.
    expect(await check(new Date(row.expiresAt.getTime() + 1))).toEqual({ impersonationId: null });
    await endImpersonation({ actor: s.actor });
    expect(await check(new Date())).toEqual({ impersonationId: null });
    await p.userSession.update({ where: { id: s.sessionId }, data: { revokedAt: new Date() } });
    expect(await check(new Date())).toBeNull();
    // Someone else's session id is as good as none.
    expect(await activeSessionState({ sessionId: s.sessionId, userId: t.acmeOwner.id })).toBeNull();
  });

  it("ends when the operator's session ends another way (from another browser of theirs)", async () => {
    const s = await supportSession();
    const otherBrowser = await createUserSession({
      userId: s.operator.id,
      ip: null,
      userAgent: "Chrome",
      maxAgeSeconds: 3600,
    });
    await endOtherUserSessions({ actor: { userId: s.operator.id, sessionId: otherBrowser } });
    expect(
      await db().prisma.impersonation.findUniqueOrThrow({ where: { id: s.impersonationId } }),
    ).toMatchObject({
      endReason: "signed-out",
      endedAt: expect.any(Date),
    });
    const [entry] = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(entry?.summary).toBe(`Support (${s.operator.name}) signed out while acting as you`);
  });

  it("ends when the operator signs out", async () => {
    const s = await supportSession();
    await endSessionOnSignOut({ sub: s.operator.id, sid: s.sessionId });
    expect(
      await db().prisma.impersonation.findUniqueOrThrow({ where: { id: s.impersonationId } }),
    ).toMatchObject({
      endReason: "signed-out",
    });
    const { getSessionUser } = await import("@/lib/auth/session");
    expect(await getSessionUser()).toBeNull();
  });
});
