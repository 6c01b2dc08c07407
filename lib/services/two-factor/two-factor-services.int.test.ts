import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { hashRecoveryCode, totpCode } from "@/lib/auth/totp";
import type { User } from "@/lib/generated/prisma/client";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { findActiveUserSession } from "@/lib/services/session/find-active-user-session";
import { confirmTwoFactorEnrolment } from "@/lib/services/two-factor/confirm-two-factor-enrolment";
import {
  disableTwoFactor,
  TWO_FACTOR_REQUIRED_BY_ACCOUNT,
} from "@/lib/services/two-factor/disable-two-factor";
import { getTwoFactorRequirement } from "@/lib/services/two-factor/get-two-factor-requirement";
import { getTwoFactorStatus } from "@/lib/services/two-factor/get-two-factor-status";
import { isRememberedDevice } from "@/lib/services/two-factor/is-remembered-device";
import { regenerateRecoveryCodes } from "@/lib/services/two-factor/regenerate-recovery-codes";
import { rememberDevice } from "@/lib/services/two-factor/remember-device";
import { resetUserTwoFactor } from "@/lib/services/two-factor/reset-user-two-factor";
import { setTwoFactorPolicy } from "@/lib/services/two-factor/set-two-factor-policy";
import { startTwoFactorEnrolment } from "@/lib/services/two-factor/start-two-factor-enrolment";
import { verifySecondFactor } from "@/lib/services/two-factor/verify-second-factor";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;
let userCounter = 0;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

const PASSWORD = "correct horse battery";

async function freshUser(roles: Parameters<typeof createTestUser>[1]["roles"] = []): Promise<User> {
  userCounter += 1;
  return createTestUser(db().prisma, {
    email: `twofa-${userCounter}@example.test`,
    passwordHash: await hashPassword(PASSWORD),
    roles,
  });
}

const actorOf = (user: Pick<User, "id">) => ({ userId: user.id, ip: "203.0.113.9" });
const codeAt = (secret: string, offsetSteps = 0) =>
  totpCode({ secretBase32: secret, timestamp: Date.now() + offsetSteps * 30_000 });

/** Enrols with the previous step's code, so that the current step's code is still unused. */
async function enrol(user: User): Promise<{ secret: string; recoveryCodes: string[] }> {
  const { secret } = await startTwoFactorEnrolment({ actor: actorOf(user) });
  const { recoveryCodes } = await confirmTwoFactorEnrolment({
    actor: actorOf(user),
    input: { code: codeAt(secret, -1) },
  });
  return { secret, recoveryCodes };
}

describe("enrolment", () => {
  it("stores the secret sealed, turns on only with a valid code, and makes ten hashed recovery codes", async () => {
    const p = db().prisma;
    const user = await freshUser();
    const started = await startTwoFactorEnrolment({ actor: actorOf(user) });
    expect(started.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(started.uri).toContain(`secret=${started.secret}`);
    expect(started.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const pending = await p.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(pending.twoFactorSecretCiphertext).toMatch(/^v1\./);
    expect(pending.twoFactorSecretCiphertext).not.toContain(started.secret);
    expect(pending.twoFactorEnabledAt).toBeNull();
    // A pending secret is not a second factor yet.
    expect(await verifySecondFactor({ userId: user.id, code: codeAt(started.secret) })).toEqual({
      ok: false,
      reason: "not-enrolled",
    });

    const wrong = await rejection(
      confirmTwoFactorEnrolment({ actor: actorOf(user), input: { code: codeAt(started.secret, 5) } }),
    );
    expect(wrong.code).toBe("INVALID_INPUT");
    expect(wrong.fieldErrors?.code).toMatch(/does not match/);
    expect((await p.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).toBeNull();

    const { recoveryCodes } = await confirmTwoFactorEnrolment({
      actor: actorOf(user),
      input: { code: codeAt(started.secret) },
    });
    expect(recoveryCodes).toHaveLength(10);
    const stored = await p.recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored.map((r) => r.codeHash).sort()).toEqual(recoveryCodes.map(hashRecoveryCode).sort());
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]);
    const change = await p.changeLog.findFirstOrThrow({ where: { kind: "User", objectId: user.id } });
    expect(change).toMatchObject({ actorUserId: user.id, summary: "Turned on two-factor sign-in" });
    expect(JSON.stringify({ data: change.data, summary: change.summary })).not.toContain(started.secret);

    const status = await getTwoFactorStatus({ actor: actorOf(user) });
    expect(status).toMatchObject({ enabled: true, recoveryCodesLeft: 10, requiredBy: [] });
    // Once on, a new secret is refused: the user turns it off first.
    expect((await rejection(startTwoFactorEnrolment({ actor: actorOf(user) }))).code).toBe("CONFLICT");
  });
});

describe("verifySecondFactor", () => {
  it("refuses the code of a step already used (replay), then accepts the next step's once", async () => {
    const user = await freshUser();
    const { secret } = await enrol(user);
    const current = codeAt(secret);
    expect(await verifySecondFactor({ userId: user.id, code: current })).toEqual({
      ok: true,
      method: "totp",
    });
    expect(await verifySecondFactor({ userId: user.id, code: current })).toEqual({
      ok: false,
      reason: "replayed",
    });
    // The enrolment's own code (the step before) is older still.
    expect(await verifySecondFactor({ userId: user.id, code: codeAt(secret, -1) })).toMatchObject({
      ok: false,
    });
    const next = codeAt(secret, 1);
    expect(await verifySecondFactor({ userId: user.id, code: next })).toEqual({ ok: true, method: "totp" });
    expect(await verifySecondFactor({ userId: user.id, code: next })).toEqual({
      ok: false,
      reason: "replayed",
    });
    expect(await verifySecondFactor({ userId: user.id, code: "000000" })).toMatchObject({ ok: false });
  });

  it("lets only one of two simultaneous sign-ins with the same code through", async () => {
    const user = await freshUser();
    const { secret } = await enrol(user);
    const code = codeAt(secret);
    const results = await Promise.all([
      verifySecondFactor({ userId: user.id, code }),
      verifySecondFactor({ userId: user.id, code }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
  });

  it("accepts each recovery code once, in any case and spacing, and regeneration voids the old ones", async () => {
    const p = db().prisma;
    const user = await freshUser();
    const { secret, recoveryCodes } = await enrol(user);
    const [first = "", second = ""] = recoveryCodes;
    expect(
      await verifySecondFactor({ userId: user.id, code: first.toUpperCase().replace("-", " ") }),
    ).toEqual({
      ok: true,
      method: "recovery-code",
    });
    expect(await verifySecondFactor({ userId: user.id, code: first })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect((await getTwoFactorStatus({ actor: actorOf(user) })).recoveryCodesLeft).toBe(9);

    const wrong = await rejection(
      regenerateRecoveryCodes({ actor: actorOf(user), input: { code: "123456" } }),
    );
    expect(wrong.fieldErrors?.code).toMatch(/not valid/);
    const { recoveryCodes: fresh } = await regenerateRecoveryCodes({
      actor: actorOf(user),
      input: { code: codeAt(secret) },
    });
    expect(fresh).toHaveLength(10);
    expect(await verifySecondFactor({ userId: user.id, code: second })).toEqual({
      ok: false,
      reason: "invalid",
    });
    expect(await p.recoveryCode.count({ where: { userId: user.id } })).toBe(10);
    expect(await verifySecondFactor({ userId: user.id, code: fresh[0] ?? "" })).toMatchObject({ ok: true });
  });
});

describe("required two-factor sign-in", () => {
  it("reaches the members of the account and of the accounts below it, never above", async () => {
    const reseller = await freshUser([{ account: t.resA, role: "DEVELOPER" }]);
    const customer = await freshUser([{ account: t.acme, role: "VIEWER" }]);
    const operator = await freshUser([{ account: t.platform, role: "ADMIN" }]);
    const elsewhere = await freshUser([{ account: t.globex, role: "OWNER" }]);
    const required = async (u: User) => (await getTwoFactorRequirement({ userId: u.id })).required;
    expect(await required(customer)).toBe(false);

    const refused = await rejection(
      setTwoFactorPolicy({
        actor: actorOf(t.resAViewer),
        accountId: t.resA.id,
        input: { requireTwoFactor: true },
      }),
    );
    expect(refused.code).toBe("FORBIDDEN");
    expect(
      (await rejection(setTwoFactorPolicy({ actor: actorOf(t.acmeOwner), accountId: t.resA.id, input: {} })))
        .code,
    ).toBe("NOT_FOUND");

    const policy = await setTwoFactorPolicy({
      actor: actorOf(t.resAAdmin),
      accountId: t.resA.id,
      input: { requireTwoFactor: true },
    });
    expect(policy).toEqual({ accountId: t.resA.id, requireTwoFactor: true });
    expect(await required(reseller)).toBe(true);
    expect(await required(customer)).toBe(true);
    expect(await required(operator)).toBe(false);
    expect(await required(elsewhere)).toBe(false);
    expect((await getTwoFactorStatus({ actor: actorOf(customer) })).requiredBy).toEqual([t.resA.name]);

    await enrol(customer);
    expect(await getTwoFactorRequirement({ userId: customer.id })).toEqual({
      enrolled: true,
      required: true,
    });
    const change = await db().prisma.changeLog.findFirstOrThrow({
      where: { kind: "Account", objectId: t.resA.id },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({ actorUserId: t.resAAdmin.id, data: { requireTwoFactor: true } });

    // A required second factor cannot be turned off by its user.
    const code = "000000";
    expect(
      (await rejection(disableTwoFactor({ actor: actorOf(customer), input: { password: PASSWORD, code } })))
        .message,
    ).toBe(TWO_FACTOR_REQUIRED_BY_ACCOUNT);

    await setTwoFactorPolicy({
      actor: actorOf(t.resAAdmin),
      accountId: t.resA.id,
      input: { requireTwoFactor: false },
    });
    expect(await required(customer)).toBe(false);
  });

  it("refuses an invalid policy value and writes nothing", async () => {
    const before = await db().prisma.changeLog.count();
    const err = await rejection(
      setTwoFactorPolicy({
        actor: actorOf(t.acmeOwner),
        accountId: t.acme.id,
        input: { requireTwoFactor: "yes" },
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors?.requireTwoFactor).toMatch(/true or false/);
    expect(await db().prisma.changeLog.count()).toBe(before);
  });
});

describe("disableTwoFactor", () => {
  it("needs the password and a valid code, then forgets the secret, recovery codes and devices", async () => {
    const p = db().prisma;
    const user = await freshUser();
    const { secret } = await enrol(user);
    await rememberDevice({ userId: user.id });
    const badPassword = await rejection(
      disableTwoFactor({ actor: actorOf(user), input: { password: "wrong", code: codeAt(secret) } }),
    );
    expect(badPassword.fieldErrors).toEqual({ password: "That password is not correct." });
    const badCode = await rejection(
      disableTwoFactor({ actor: actorOf(user), input: { password: PASSWORD, code: "111111" } }),
    );
    expect(badCode.fieldErrors?.code).toMatch(/not valid/);
    expect((await p.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).not.toBeNull();

    await disableTwoFactor({ actor: actorOf(user), input: { password: PASSWORD, code: codeAt(secret) } });
    const row = await p.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({
      twoFactorEnabledAt: null,
      twoFactorSecretCiphertext: null,
      twoFactorLastStep: null,
    });
    expect(await p.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect(await p.rememberedDevice.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("resetUserTwoFactor", () => {
  it("is the platform operator's, audited in the platform's log; others cannot tell the user exists", async () => {
    const p = db().prisma;
    const user = await freshUser([{ account: t.acme, role: "DEVELOPER" }]);
    await enrol(user);
    for (const caller of [t.acmeOwner, t.resAAdmin, t.stranger]) {
      const err = await rejection(resetUserTwoFactor({ actor: actorOf(caller), userId: user.id }));
      expect(err.code).toBe("NOT_FOUND");
      expect(err.message).toBe("User not found.");
    }
    const developerOnPlatform = await freshUser([{ account: t.platform, role: "DEVELOPER" }]);
    expect(
      (await rejection(resetUserTwoFactor({ actor: actorOf(developerOnPlatform), userId: user.id }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await rejection(resetUserTwoFactor({ actor: actorOf(t.platformOwner), userId: "nosuchuser" }))).code,
    ).toBe("NOT_FOUND");

    const signedIn = await createUserSession({
      userId: user.id,
      ip: null,
      userAgent: null,
      maxAgeSeconds: 3600,
    });
    expect(await resetUserTwoFactor({ actor: actorOf(t.platformOwner), userId: user.id })).toEqual({
      userId: user.id,
      wasEnabled: true,
    });
    // Its sessions end with it.
    expect(await findActiveUserSession({ sessionId: signedIn, userId: user.id })).toBeNull();
    expect((await p.user.findUniqueOrThrow({ where: { id: user.id } })).twoFactorEnabledAt).toBeNull();
    expect(await p.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "User", objectId: user.id, accountId: t.platform.id },
    });
    expect(change).toMatchObject({
      actorUserId: t.platformOwner.id,
      actorIp: "203.0.113.9",
      summary: `Reset two-factor sign-in of ${user.email}`,
    });
  });
});

describe("remembered devices", () => {
  it("recognise their own token for 30 days, and nothing else", async () => {
    const user = await freshUser();
    const other = await freshUser();
    const now = new Date();
    const { token, expiresAt } = await rememberDevice({ userId: user.id, now });
    expect(expiresAt.getTime() - now.getTime()).toBe(30 * 24 * 60 * 60 * 1000);
    const row = await db().prisma.rememberedDevice.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).not.toBe(token);
    expect(await isRememberedDevice({ userId: user.id, token })).toBe(true);
    expect(await isRememberedDevice({ userId: other.id, token })).toBe(false);
    expect(await isRememberedDevice({ userId: user.id, token: `${token}x` })).toBe(false);
    expect(await isRememberedDevice({ userId: user.id, token: undefined })).toBe(false);
    expect(await isRememberedDevice({ userId: user.id, token, now: new Date(expiresAt.getTime() + 1) })).toBe(
      false,
    );
  });
});
