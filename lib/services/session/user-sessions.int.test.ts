import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { endSessionOnSignOut } from "@/lib/auth/session-lifecycle";
import { SESSION_TOUCH_INTERVAL_MS } from "@/lib/auth/user-sessions";
import type { Actor } from "@/lib/services/actor";
import { removeMember } from "@/lib/services/membership/remove-member";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { endOtherUserSessions } from "@/lib/services/session/end-other-user-sessions";
import { endUserSession } from "@/lib/services/session/end-user-session";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";
import { listUserSessions } from "@/lib/services/session/list-user-sessions";
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
  headers: async () => new Headers({ "x-forwarded-for": "203.0.113.9", "user-agent": "curl/8.5.0" }),
}));

const db = withTestDatabase();
let t: HostingTree;
let counter = 0;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

beforeEach(() => {
  current.session = null;
});

const HOUR = 3600;
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

async function newUser(password = "old password 123") {
  counter += 1;
  return createTestUser(db().prisma, {
    email: `session-user-${counter}@example.test`,
    passwordHash: await hashPassword(password),
  });
}

function start(userId: string, now?: Date) {
  return createUserSession({ userId, ip: "198.51.100.4", userAgent: FIREFOX, maxAgeSeconds: 8 * HOUR, now });
}

async function isLive(id: string) {
  const row = await db().prisma.userSession.findUniqueOrThrow({ where: { id } });
  return row.revokedAt === null;
}

describe("UserSession rows", () => {
  it("creates a row with the request's details, valid until the JWT expires", async () => {
    const user = await newUser();
    const now = new Date("2026-11-30T10:00:00Z");
    const id = await createUserSession({
      userId: user.id,
      ip: "198.51.100.4",
      userAgent: `${FIREFOX}${" padding".repeat(60)}`,
      maxAgeSeconds: 8 * HOUR,
      now,
    });
    const row = await db().prisma.userSession.findUniqueOrThrow({ where: { id } });
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(row).toMatchObject({ userId: user.id, ip: "198.51.100.4", revokedAt: null, lastSeenAt: now });
    expect(row.expiresAt.getTime() - now.getTime()).toBe(8 * HOUR * 1000);
    expect(row.userAgent).toHaveLength(255);
  });

  it("forgets a user's sessions 30 days after they expired, at their next sign-in", async () => {
    const user = await newUser();
    const now = new Date();
    const old = await start(user.id, new Date(now.getTime() - 31 * 24 * HOUR * 1000));
    const recent = await start(user.id, new Date(now.getTime() - 2 * 24 * HOUR * 1000));
    await start(user.id, now);
    const ids = (await db().prisma.userSession.findMany({ where: { userId: user.id } })).map((r) => r.id);
    expect(ids).toContain(recent);
    expect(ids).not.toContain(old);
  });

  it("accepts a live session, touching lastSeenAt at most once a minute", async () => {
    const user = await newUser();
    const t0 = new Date();
    const id = await start(user.id, t0);
    const lastSeen = async () =>
      (await db().prisma.userSession.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime();

    const soon = new Date(t0.getTime() + SESSION_TOUCH_INTERVAL_MS - 1);
    expect(await findActiveUserSession({ sessionId: id, userId: user.id, now: soon })).toEqual({
      id,
      userId: user.id,
      user: { email: user.email, name: user.name },
      impersonation: null,
      twoFactor: { enrolled: false, required: false },
    });
    expect(await lastSeen()).toBe(t0.getTime());

    const later = new Date(t0.getTime() + SESSION_TOUCH_INTERVAL_MS);
    await findActiveUserSession({ sessionId: id, userId: user.id, now: later });
    expect(await lastSeen()).toBe(later.getTime());
  });

  it("refuses a missing, revoked, expired or someone else's session", async () => {
    const user = await newUser();
    const other = await newUser();
    const id = await start(user.id);
    expect(await findActiveUserSession({ sessionId: "0".repeat(32), userId: user.id })).toBeNull();
    expect(await findActiveUserSession({ sessionId: id, userId: other.id })).toBeNull();
    const afterExpiry = new Date(Date.now() + 8 * HOUR * 1000 + 1);
    expect(await findActiveUserSession({ sessionId: id, userId: user.id, now: afterExpiry })).toBeNull();
    await endUserSession({ actor: { userId: user.id }, input: { sessionId: id } });
    expect(await findActiveUserSession({ sessionId: id, userId: user.id })).toBeNull();
  });
});

describe("getSessionUser", () => {
  it("refuses the JWT of a session revoked at sign-out, and one without a session row", async () => {
    const { getSessionUser } = await import("@/lib/auth/session");
    const user = await newUser();
    const id = await start(user.id);
    const jwtUser = { id: user.id, email: user.email, name: user.name };
    current.session = { user: jwtUser, sessionId: id };
    expect(await getSessionUser()).toMatchObject({ id: user.id, sessionId: id });

    // The same (still cryptographically valid) JWT, replayed after sign-out.
    await endSessionOnSignOut({ sub: user.id, sid: id });
    expect(await getSessionUser()).toBeNull();

    // A JWT issued before sessions had rows.
    current.session = { user: jwtUser };
    expect(await getSessionUser()).toBeNull();
  });
});

describe("listUserSessions / endUserSession / endOtherUserSessions", () => {
  it("lists only the caller's live sessions and marks the current one", async () => {
    const user = await newUser();
    const other = await newUser();
    const mine = await start(user.id);
    const second = await start(user.id);
    const ended = await start(user.id);
    await endUserSession({ actor: { userId: user.id }, input: { sessionId: ended } });
    const foreign = await start(other.id);

    const list = await listUserSessions({ actor: { userId: user.id, sessionId: mine } });
    expect(list.map((s) => s.id).sort()).toEqual([mine, second].sort());
    expect(list.find((s) => s.id === mine)).toMatchObject({
      current: true,
      browser: "Firefox on Linux",
      ip: "198.51.100.4",
    });
    expect(list.find((s) => s.id === second)?.current).toBe(false);
    expect(JSON.stringify(list)).not.toContain(foreign);
  });

  it("ends one of the caller's sessions with a change-log row; another user's answers NOT_FOUND", async () => {
    const p = db().prisma;
    const user = await newUser();
    const other = await newUser();
    const id = await start(user.id);
    const foreign = await start(other.id);

    expect(
      await rejection(endUserSession({ actor: { userId: user.id }, input: { sessionId: foreign } })),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await isLive(foreign)).toBe(true);
    expect(
      await rejection(endUserSession({ actor: { userId: user.id }, input: { sessionId: "nope" } })),
    ).toMatchObject({ code: "INVALID_INPUT" });

    await endUserSession({ actor: { userId: user.id, ip: "203.0.113.5" }, input: { sessionId: id } });
    expect(await isLive(id)).toBe(false);
    expect(
      await p.changeLog.findFirstOrThrow({ where: { kind: "UserSession", objectId: id } }),
    ).toMatchObject({ action: "DELETED", accountId: null, actorUserId: user.id, actorIp: "203.0.113.5" });
    // Ending it twice: it is gone.
    expect(
      await rejection(endUserSession({ actor: { userId: user.id }, input: { sessionId: id } })),
    ).toMatchObject({ code: "NOT_FOUND" });
  });

  it("ends every other session of the caller, keeping the current one and other users'", async () => {
    const user = await newUser();
    const other = await newUser();
    const mine = await start(user.id);
    const a = await start(user.id);
    const b = await start(user.id);
    const foreign = await start(other.id);
    expect(await endOtherUserSessions({ actor: { userId: user.id, sessionId: mine } })).toEqual({ ended: 2 });
    expect([await isLive(mine), await isLive(a), await isLive(b), await isLive(foreign)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(await endOtherUserSessions({ actor: { userId: user.id, sessionId: mine } })).toEqual({ ended: 0 });
  });
});

describe("changePassword", () => {
  const change = (actor: Actor, input: Record<string, string>) => changePassword({ actor, input });

  it("checks the current password, stores an argon2id hash and ends the other sessions", async () => {
    const p = db().prisma;
    const user = await newUser("old password 123");
    const mine = await start(user.id);
    const stolen = await start(user.id);
    const actor = { userId: user.id, ip: "203.0.113.5", sessionId: mine };

    const wrong = await rejection(
      change(actor, {
        currentPassword: "not it at all",
        newPassword: "new password 456",
        confirmPassword: "new password 456",
      }),
    );
    expect(wrong).toMatchObject({
      code: "INVALID_INPUT",
      fieldErrors: { currentPassword: expect.any(String) },
    });
    expect(await isLive(stolen)).toBe(true);

    const mismatch = await rejection(
      change(actor, {
        currentPassword: "old password 123",
        newPassword: "new password 456",
        confirmPassword: "new password 789",
      }),
    );
    expect(mismatch).toMatchObject({
      code: "INVALID_INPUT",
      fieldErrors: { confirmPassword: expect.any(String) },
    });
    const short = await rejection(
      change(actor, { currentPassword: "old password 123", newPassword: "short", confirmPassword: "short" }),
    );
    expect(short).toMatchObject({ fieldErrors: { newPassword: "Use at least 10 characters." } });
    const unchanged = await p.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(unchanged.passwordHash, "old password 123")).toBe(true);

    expect(
      await change(actor, {
        currentPassword: "old password 123",
        newPassword: "new password 456",
        confirmPassword: "new password 456",
      }),
    ).toEqual({ endedSessions: 1 });
    const changed = await p.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(changed.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(changed.passwordHash, "new password 456")).toBe(true);
    expect([await isLive(mine), await isLive(stolen)]).toEqual([true, false]);
    const audit = await p.changeLog.findFirstOrThrow({ where: { kind: "User", objectId: user.id } });
    expect(audit).toMatchObject({ action: "UPDATED", accountId: null, actorIp: "203.0.113.5" });
    expect(JSON.stringify({ data: audit.data, summary: audit.summary })).not.toContain("new password 456");
  });

  it("slows down guessing the current password with a stolen session, as sign-in does", async () => {
    const p = db().prisma;
    const user = await newUser("old password 123");
    const actor = { userId: user.id, ip: "203.0.113.77", sessionId: await start(user.id) };
    const guess = (currentPassword: string) =>
      change(actor, {
        currentPassword,
        newPassword: "new password 456",
        confirmPassword: "new password 456",
      });
    for (let i = 0; i < 5; i++) {
      expect((await rejection(guess(`guess number ${i}`))).code).toBe("INVALID_INPUT");
    }
    // Even the right password now waits: the guesser cannot tell it was right.
    const throttled = await rejection(guess("old password 123"));
    expect(throttled).toMatchObject({
      code: "LIMIT_EXCEEDED",
      fieldErrors: { currentPassword: "Too many wrong passwords. Wait a few minutes, then try again." },
    });
    const unchanged = await p.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(unchanged.passwordHash, "old password 123")).toBe(true);
  });
});

describe("removeMember", () => {
  it("ends every session of the removed member at once", async () => {
    const p = db().prisma;
    const member = await newUser();
    await p.membership.create({ data: { userId: member.id, accountId: t.acme.id, role: "DEVELOPER" } });
    const a = await start(member.id);
    const b = await start(member.id);
    await removeMember({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { userId: member.id },
    });
    expect([await isLive(a), await isLive(b)]).toEqual([false, false]);
    expect(await findActiveUserSession({ sessionId: a, userId: member.id })).toBeNull();
  });

  it("signs nobody out when a member leaves of their own accord", async () => {
    const p = db().prisma;
    const member = await newUser();
    await p.membership.create({ data: { userId: member.id, accountId: t.acme.id, role: "VIEWER" } });
    const a = await start(member.id);
    await removeMember({
      actor: { userId: member.id, sessionId: a },
      accountId: t.acme.id,
      input: { userId: member.id },
    });
    expect(await isLive(a)).toBe(true);
  });
});
