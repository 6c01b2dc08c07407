/**
 * The second step of sign-in through next-auth's real `authorize` (lib/auth/options.ts), and the
 * required-2FA gate of requireActor, against MariaDB. Only next/headers (outside a Next request)
 * and next-auth's session lookup are replaced.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { totpCode } from "@/lib/auth/totp";
import type { User } from "@/lib/generated/prisma/client";
import { confirmTwoFactorEnrolment } from "@/lib/services/two-factor/confirm-two-factor-enrolment";
import { startTwoFactorEnrolment } from "@/lib/services/two-factor/start-two-factor-enrolment";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";

const jar = vi.hoisted(() => ({
  set: [] as { name: string; value: string; options: Record<string, unknown> }[],
}));
const session = vi.hoisted(() => ({ userId: null as string | null, sessionId: null as string | null }));
// The socket address as instrumentation.ts records it (lib/http/client-address.ts).
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-sitepod-peer-address": "198.51.100.7" }),
  cookies: async () => ({
    set: (name: string, value: string, options: Record<string, unknown>) =>
      jar.set.push({ name, value, options }),
  }),
}));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () =>
    session.userId
      ? {
          user: { id: session.userId, email: "x@example.test", name: "X" },
          sessionId: session.sessionId,
          expires: "2999-01-01",
        }
      : null,
}));

// As instrumentation.ts does in the server: without the hook no request has a trusted address.
const { installPeerAddressHook } = await import("@/lib/http/client-address");
installPeerAddressHook();
const { authOptions } = await import("@/lib/auth/options");
const { signInThrottle } = await import("@/lib/auth/sign-in-throttle-store");
const { createUserSession } = await import("@/lib/services/session/create-user-session");
const { REMEMBERED_DEVICE_COOKIE } = await import("@/lib/auth/two-factor");
const { requireActor, TWO_FACTOR_SETUP_REQUIRED } = await import("@/lib/auth/session");
const { setTwoFactorPolicy } = await import("@/lib/services/two-factor/set-two-factor-policy");

const db = withTestDatabase();
const PASSWORD = "correct horse battery";
let counter = 0;

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<unknown>;
function authorize(credentials: Record<string, string>, cookie?: string): Promise<unknown> {
  const provider = authOptions.providers[0] as unknown as { options: { authorize: Authorize } };
  return provider.options.authorize(credentials, {
    headers: { "x-sitepod-peer-address": "198.51.100.7", ...(cookie ? { cookie } : {}) },
  });
}

async function enrolledUser(): Promise<{ user: User; secret: string; recoveryCodes: string[] }> {
  counter += 1;
  const user = await createTestUser(db().prisma, {
    email: `signin-${counter}@example.test`,
    passwordHash: await hashPassword(PASSWORD),
  });
  const actor = { userId: user.id, ip: null };
  const { secret } = await startTwoFactorEnrolment({ actor });
  const code = totpCode({ secretBase32: secret, timestamp: Date.now() - 30_000 });
  const { recoveryCodes } = await confirmTwoFactorEnrolment({ actor, input: { code } });
  return { user, secret, recoveryCodes };
}

const thrown = (promise: Promise<unknown>) =>
  promise.then(
    () => "no error",
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );

beforeEach(() => {
  jar.set = [];
});

describe("sign-in with two-factor sign-in on", () => {
  it("asks for a code after the right password, refuses a wrong one as a failed sign-in, accepts a current one", async () => {
    const { user, secret } = await enrolledUser();
    const email = user.email;
    expect(await authorize({ email, password: "wrong" })).toBeNull();
    expect(await thrown(authorize({ email, password: PASSWORD }))).toBe("TwoFactorRequired");

    const throttle = signInThrottle();
    const spy = vi.spyOn(throttle, "recordFailure");
    expect(await thrown(authorize({ email, password: PASSWORD, code: "12345x" }))).toBe("TwoFactorInvalid");
    expect(spy).toHaveBeenCalledWith({ email, ip: "198.51.100.7" });
    spy.mockRestore();

    const code = totpCode({ secretBase32: secret, timestamp: Date.now() });
    expect(await authorize({ email, password: PASSWORD, code })).toMatchObject({ id: user.id });
    // The same code again is a replay.
    expect(await thrown(authorize({ email, password: PASSWORD, code }))).toBe("TwoFactorInvalid");
    // Without "remember this device" no cookie is set.
    expect(jar.set).toEqual([]);
  });

  it("accepts a recovery code once", async () => {
    const { user, recoveryCodes } = await enrolledUser();
    const code = recoveryCodes[3] ?? "";
    expect(await authorize({ email: user.email, password: PASSWORD, code })).toMatchObject({ id: user.id });
    expect(await thrown(authorize({ email: user.email, password: PASSWORD, code }))).toBe("TwoFactorInvalid");
  });

  it("remembers the device for 30 days only when asked, and then skips the code", async () => {
    const { user, secret } = await enrolledUser();
    const code = totpCode({ secretBase32: secret, timestamp: Date.now() });
    await authorize({ email: user.email, password: PASSWORD, code, rememberDevice: "true" });
    expect(jar.set).toHaveLength(1);
    const cookie = jar.set[0];
    expect(cookie).toMatchObject({
      name: REMEMBERED_DEVICE_COOKIE,
      options: { httpOnly: true, sameSite: "lax", path: "/", maxAge: 30 * 24 * 60 * 60 },
    });
    const header = `other=1; ${REMEMBERED_DEVICE_COOKIE}=${cookie?.value}`;
    expect(await authorize({ email: user.email, password: PASSWORD }, header)).toMatchObject({ id: user.id });
    // Still needs the password, and the cookie is no use to another user.
    expect(await authorize({ email: user.email, password: "wrong" }, header)).toBeNull();
    const other = await enrolledUser();
    expect(await thrown(authorize({ email: other.user.email, password: PASSWORD }, header))).toBe(
      "TwoFactorRequired",
    );
  });

  it("leaves users without two-factor sign-in alone", async () => {
    const user = await createTestUser(db().prisma, {
      email: "plain@example.test",
      passwordHash: await hashPassword(PASSWORD),
    });
    expect(await authorize({ email: user.email, password: PASSWORD })).toMatchObject({ id: user.id });
  });
});

describe("requireActor while an account requires two-factor sign-in", () => {
  let member: User;
  beforeAll(async () => {
    const p = db().prisma;
    const provider = await createTestAccount(p, { slug: "gate-provider", kind: "RESELLER" });
    const customer = await createTestAccount(p, { slug: "gate-customer", parent: provider });
    const admin = await createTestUser(p, {
      email: "gate-admin@example.test",
      roles: [{ account: provider, role: "ADMIN" }],
    });
    member = await createTestUser(p, {
      email: "gate-member@example.test",
      roles: [{ account: customer, role: "VIEWER" }],
    });
    await setTwoFactorPolicy({
      actor: { userId: admin.id },
      accountId: provider.id,
      input: { requireTwoFactor: true },
    });
  });

  it("refuses every call but the set-up until the member has enrolled", async () => {
    session.userId = member.id;
    session.sessionId = await createUserSession({
      userId: member.id,
      ip: null,
      userAgent: null,
      maxAgeSeconds: 3600,
    });
    const err = await requireActor().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: "FORBIDDEN", message: TWO_FACTOR_SETUP_REQUIRED });
    expect(await requireActor({ beforeTwoFactorSetup: true })).toEqual({
      userId: member.id,
      ip: "198.51.100.7",
      sessionId: session.sessionId,
      impersonation: null,
    });

    const actor = { userId: member.id, ip: null };
    const { secret } = await startTwoFactorEnrolment({ actor });
    await confirmTwoFactorEnrolment({
      actor,
      input: { code: totpCode({ secretBase32: secret, timestamp: Date.now() }) },
    });
    expect(await requireActor()).toEqual({
      userId: member.id,
      ip: "198.51.100.7",
      sessionId: session.sessionId,
      impersonation: null,
    });
    session.userId = null;
    session.sessionId = null;
  });
});
