/**
 * The user's own things that go through email, against the real MariaDB and a real SMTP server
 * (the run's Mailpit, tests/setup/global-mailpit.ts): what arrives in the mailbox is read back
 * through Mailpit's API and its links are used as a person would.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { createUserSession } from "@/lib/services/session/create-user-session";
import { changePassword } from "@/lib/services/user/change-password";
import { hashEmailToken } from "@/lib/services/user/email-token";
import { getEmailLink } from "@/lib/services/user/get-email-link";
import { getProfile } from "@/lib/services/user/get-profile";
import { requestEmailChange } from "@/lib/services/user/request-email-change";
import { requestPasswordReset } from "@/lib/services/user/request-password-reset";
import { INVALID_RESET_LINK, resetPassword } from "@/lib/services/user/reset-password";
import { sendEmailVerification } from "@/lib/services/user/send-email-verification";
import { updateProfile } from "@/lib/services/user/update-profile";
import { INVALID_CONFIRMATION_LINK, verifyEmail } from "@/lib/services/user/verify-email";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { rejection } from "@/tests/helpers/hosting";
import { linkIn, testMailbox, tokenOf } from "@/tests/helpers/mailpit";

const db = withTestDatabase();
const run = randomBytes(4).toString("hex");
let counter = 0;
const PASSWORD = "the old password";
const NEW_PASSWORD = "a brand new password";

/** A user (with a password and two live sessions) whose address nobody else in the run uses. */
async function newUser(name = "Ann Example") {
  counter += 1;
  const user = await createTestUser(db().prisma, {
    email: `mail-${run}-${counter}@example.test`,
    name,
    passwordHash: await hashPassword(PASSWORD),
  });
  const sessions = [];
  for (let i = 0; i < 2; i++) {
    sessions.push(
      await createUserSession({ userId: user.id, ip: "198.51.100.1", userAgent: "t", maxAgeSeconds: 3600 }),
    );
  }
  return { ...user, sessions };
}

/** A client address of its own per call site, so the per-address budget is not what a test meets. */
let ipCounter = 0;
const nextIp = () => `198.51.100.${(ipCounter++ % 200) + 20}`;

async function liveSessions(userId: string): Promise<number> {
  return db().prisma.userSession.count({ where: { userId, revokedAt: null } });
}

async function changesOf(userId: string): Promise<string[]> {
  const rows = await db().prisma.changeLog.findMany({
    where: { kind: "User", objectId: userId },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => r.summary ?? "");
}

const mailbox = () => testMailbox();

describe("forgot password", () => {
  it("mails a single-use link that sets a new password and ends every session", async () => {
    const user = await newUser();
    const ip = nextIp();
    const asked = await requestPasswordReset({ input: { email: ` ${user.email.toUpperCase()} ` }, ip });
    expect({ email: asked.email, validMinutes: asked.validMinutes }).toEqual({
      email: user.email,
      validMinutes: 60,
    });
    await asked.delivery;

    const mail = await mailbox().waitFor(user.email, { subject: "Reset your Sitepod password" });
    expect(mail.From.Address).toBe("no-reply@sitepod.local");
    expect(mail.Text).toContain("Hello Ann Example,");
    expect(mail.Text).toContain("It works once, for 1 hour.");
    const link = linkIn(mail, "/reset-password/");
    expect(link.origin).toBe("http://127.0.0.1:3000");
    const token = tokenOf(link);
    // Only the hash is stored.
    const row = await db().prisma.emailToken.findFirstOrThrow({ where: { userId: user.id } });
    expect(row.tokenHash).toBe(hashEmailToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(60 * 60_000);

    expect(await getEmailLink({ token, purpose: "PASSWORD_RESET" })).toEqual({
      email: user.email,
      changesEmail: false,
    });
    // Opening the page uses nothing up; the form does.
    expect(await getEmailLink({ token, purpose: "PASSWORD_RESET" })).not.toBeNull();

    expect(await liveSessions(user.id)).toBe(2);
    const done = await resetPassword({
      input: { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      ip,
    });
    expect(done).toEqual({ email: user.email, endedSessions: 2 });
    const after = await db().prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword(after.passwordHash, NEW_PASSWORD)).toBe(true);
    // The mailbox is proven: the address counts as confirmed.
    expect(after.emailVerifiedAt).not.toBeNull();
    expect(await liveSessions(user.id)).toBe(0);
    expect(await changesOf(user.id)).toEqual([
      `Reset the password with a link sent to ${user.email} and ended 2 sessions`,
      `Confirmed the email address ${user.email} (by a password reset link)`,
    ]);
    const notice = await mailbox().waitFor(user.email, { subject: "Your Sitepod password was changed" });
    expect(notice.Text).toContain("reset with a link sent to this address");

    // Once only.
    const again = await rejection(
      resetPassword({
        input: { token, newPassword: "yet another password", confirmPassword: "yet another password" },
        ip,
      }),
    );
    expect([again.code, again.message]).toEqual(["NOT_FOUND", INVALID_RESET_LINK]);
    expect(await getEmailLink({ token, purpose: "PASSWORD_RESET" })).toBeNull();
    const unchanged = await db().prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(unchanged.passwordHash).toBe(after.passwordHash);
  });

  it("answers an unknown address exactly as a known one, and mails it nothing", async () => {
    const known = await newUser();
    const unknown = `nobody-${run}@example.test`;
    const ip = nextIp();
    const a = await requestPasswordReset({ input: { email: known.email }, ip });
    const b = await requestPasswordReset({ input: { email: unknown }, ip });
    await Promise.all([a.delivery, b.delivery]);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect({ ...b, delivery: null }).toEqual({ ...a, email: unknown, delivery: null });
    await mailbox().waitFor(known.email, { subject: "Reset your Sitepod password" });
    expect(await mailbox().to(unknown)).toEqual([]);
    expect(await db().prisma.emailToken.count({ where: { email: unknown } })).toBe(0);
  });

  it("refuses expired and superseded links, and links of another purpose, changing nothing", async () => {
    const user = await newUser();
    const ip = nextIp();
    const first = await requestPasswordReset({ input: { email: user.email }, ip });
    await first.delivery;
    const older = tokenOf(
      linkIn(await mailbox().waitFor(user.email, { subject: "Reset" }), "/reset-password/"),
    );
    const second = await requestPasswordReset({ input: { email: user.email }, ip });
    await second.delivery;
    const newer = tokenOf(
      linkIn(await mailbox().waitFor(user.email, { subject: "Reset", count: 2 }), "/reset-password/"),
    );
    expect(newer).not.toBe(older);
    const before = await db().prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const input = (token: string) => ({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });

    // Superseded by the newer mail.
    expect((await rejection(resetPassword({ input: input(older), ip }))).code).toBe("NOT_FOUND");
    // Expired.
    await db().prisma.emailToken.update({
      where: { tokenHash: hashEmailToken(newer) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await rejection(resetPassword({ input: input(newer), ip }))).code).toBe("NOT_FOUND");
    // Made up, and a confirmation link used as a reset link.
    await db().prisma.user.update({ where: { id: user.id }, data: { emailVerifiedAt: null } });
    await sendEmailVerification({ userId: user.id, ip });
    const confirm = tokenOf(
      linkIn(await mailbox().waitFor(user.email, { subject: "Confirm" }), "/verify-email/"),
    );
    for (const token of [randomBytes(32).toString("base64url"), confirm]) {
      const refused = await rejection(resetPassword({ input: input(token), ip }));
      expect([refused.code, refused.message]).toEqual(["NOT_FOUND", INVALID_RESET_LINK]);
    }
    const after = await db().prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(await liveSessions(user.id)).toBe(2);
  });

  it("says what is wrong next to the fields, and writes nothing", async () => {
    const user = await newUser();
    const bad = await rejection(requestPasswordReset({ input: { email: "not an address" }, ip: nextIp() }));
    expect(bad.fieldErrors).toEqual({ email: "Enter a valid email address." });
    await requestPasswordReset({ input: { email: user.email }, ip: nextIp() });
    const token = tokenOf(
      linkIn(await mailbox().waitFor(user.email, { subject: "Reset" }), "/reset-password/"),
    );
    const differ = await rejection(
      resetPassword({
        input: { token, newPassword: "long enough one", confirmPassword: "long enough two" },
        ip: null,
      }),
    );
    expect(differ.fieldErrors).toEqual({
      confirmPassword: "The two new passwords differ. Type the same one twice.",
    });
    const short = await rejection(
      resetPassword({ input: { token, newPassword: "short", confirmPassword: "short" }, ip: null }),
    );
    expect(short.fieldErrors).toEqual({ newPassword: "Use at least 10 characters." });
    // The link still works after the refusals.
    expect(await getEmailLink({ token, purpose: "PASSWORD_RESET" })).not.toBeNull();
  });

  it("limits the links mailed to one address, whoever asks, and counts addresses without a user alike", async () => {
    const user = await newUser();
    const unknown = `nobody-else-${run}@example.test`;
    for (const email of [user.email, unknown]) {
      for (let i = 0; i < 4; i++) await requestPasswordReset({ input: { email }, ip: nextIp() });
      const refused = await rejection(requestPasswordReset({ input: { email }, ip: nextIp() }));
      expect(refused.code).toBe("LIMIT_EXCEEDED");
      expect(refused.fieldErrors?.email).toBe(
        "Too many reset links were asked for. Wait 5 minutes, then try again, or use the link already sent.",
      );
    }
    expect(await db().prisma.emailToken.count({ where: { userId: user.id } })).toBe(4);
  });

  it("limits the links one client asks for, whatever the addresses", async () => {
    const ip = "203.0.113.77";
    for (let i = 0; i < 20; i++) {
      await requestPasswordReset({ input: { email: `spray-${run}-${i}@example.test` }, ip });
    }
    const refused = await rejection(
      requestPasswordReset({ input: { email: `spray-${run}-x@example.test` }, ip }),
    );
    expect(refused.code).toBe("LIMIT_EXCEEDED");
    // Another client is not held up.
    await requestPasswordReset({ input: { email: `spray-${run}-x@example.test` }, ip: nextIp() });
  });

  it("is refused for everyone alike when no mail server is set up", async () => {
    const saved = process.env.SITEPOD_SMTP_URL;
    delete process.env.SITEPOD_SMTP_URL;
    try {
      const user = await newUser();
      for (const email of [user.email, `nobody-3-${run}@example.test`]) {
        const refused = await rejection(requestPasswordReset({ input: { email }, ip: nextIp() }));
        expect([refused.code, refused.message]).toEqual([
          "UNAVAILABLE",
          "This Sitepod cannot send email: no mail server is set up. Ask your provider to set SITEPOD_SMTP_URL.",
        ]);
      }
    } finally {
      process.env.SITEPOD_SMTP_URL = saved;
    }
  });
});

describe("changing the password on the profile page", () => {
  it("ends unused reset links and tells the user by mail", async () => {
    const user = await newUser();
    await requestPasswordReset({ input: { email: user.email }, ip: nextIp() });
    const token = tokenOf(
      linkIn(await mailbox().waitFor(user.email, { subject: "Reset" }), "/reset-password/"),
    );
    await changePassword({
      actor: { userId: user.id, ip: null, sessionId: user.sessions[0] },
      input: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    expect(await getEmailLink({ token, purpose: "PASSWORD_RESET" })).toBeNull();
    const notice = await mailbox().waitFor(user.email, { subject: "Your Sitepod password was changed" });
    expect(notice.Text).toContain("changed on the profile page");
  });
});

describe("the profile", () => {
  it("changes the name, with an audit row, and refuses an invisible character next to the field", async () => {
    const user = await newUser("Old Name");
    const actor = { userId: user.id, ip: "198.51.100.9" };
    expect(await updateProfile({ actor, input: { name: "  New Name " } })).toEqual({ name: "New Name" });
    expect((await getProfile({ actor })).name).toBe("New Name");
    const bad = await rejection(updateProfile({ actor, input: { name: "Evil\u202EName" } }));
    expect(bad.fieldErrors?.name).toMatch(/invisible or control character/);
    expect(await changesOf(user.id)).toEqual(["Changed the name from Old Name to New Name"]);
  });

  it("confirms the address from a mailed link, once", async () => {
    const user = await newUser();
    const actor = { userId: user.id, ip: nextIp() };
    expect((await getProfile({ actor })).emailVerifiedAt).toBeNull();
    await sendEmailVerification({ userId: user.id, ip: actor.ip });
    const mail = await mailbox().waitFor(user.email, { subject: "Confirm your Sitepod email address" });
    const token = tokenOf(linkIn(mail, "/verify-email/"));
    expect(await getEmailLink({ token, purpose: "VERIFY_EMAIL" })).toEqual({
      email: user.email,
      changesEmail: false,
    });
    expect(await verifyEmail({ input: { token }, ip: null })).toEqual({ email: user.email, changed: false });
    expect((await getProfile({ actor })).emailVerifiedAt).not.toBeNull();
    const again = await rejection(verifyEmail({ input: { token }, ip: null }));
    expect([again.code, again.message]).toEqual(["NOT_FOUND", INVALID_CONFIRMATION_LINK]);
    expect(await changesOf(user.id)).toEqual([`Confirmed the email address ${user.email}`]);
    // Nothing left to confirm.
    expect((await rejection(sendEmailVerification({ userId: user.id, ip: actor.ip }))).code).toBe("CONFLICT");
  });

  it("changes the address only once the new one is confirmed, and tells the old one", async () => {
    const user = await newUser();
    const actor = { userId: user.id, ip: nextIp(), sessionId: user.sessions[0] };
    const next = `moved-${run}-${counter}@example.test`;

    const wrong = await rejection(
      requestEmailChange({ actor, input: { email: next, currentPassword: "wrong" } }),
    );
    expect(wrong.fieldErrors).toEqual({
      currentPassword: "This is not your current password. Type it again.",
    });
    const same = await rejection(
      requestEmailChange({ actor, input: { email: user.email, currentPassword: PASSWORD } }),
    );
    expect(same.fieldErrors).toEqual({ email: "This is already your email address." });
    expect(await mailbox().to(next)).toEqual([]);

    expect(
      await requestEmailChange({
        actor,
        input: { email: ` ${next.toUpperCase()}`, currentPassword: PASSWORD },
      }),
    ).toEqual({ email: next, validMinutes: 24 * 60 });
    // Nothing changed yet: the old address signs in and gets mail.
    const waiting = await getProfile({ actor });
    expect([waiting.email, waiting.pendingEmail?.email]).toEqual([user.email, next]);

    const mail = await mailbox().waitFor(next, { subject: "Confirm your new Sitepod email address" });
    const token = tokenOf(linkIn(mail, "/verify-email/"));
    expect(await getEmailLink({ token, purpose: "VERIFY_EMAIL" })).toEqual({
      email: next,
      changesEmail: true,
    });
    expect(await verifyEmail({ input: { token }, ip: null })).toEqual({ email: next, changed: true });

    const after = await getProfile({ actor });
    expect([after.email, after.pendingEmail, after.emailVerifiedAt !== null]).toEqual([next, null, true]);
    const notice = await mailbox().waitFor(user.email, { subject: "Your Sitepod email address was changed" });
    expect(notice.Text).toContain(`is now ${next}`);
    expect(await changesOf(user.id)).toEqual([
      `Asked to change the email address to ${next} (waiting for its confirmation)`,
      `Changed the email address from ${user.email} to ${next} (confirmed from a link sent there)`,
    ]);
  });

  it("answers an address that has a user as a free one, mails that address a notice, and changes nothing", async () => {
    const user = await newUser();
    const other = await newUser("Other");
    const actor = { userId: user.id, ip: nextIp() };
    const answer = await requestEmailChange({
      actor,
      input: { email: other.email, currentPassword: PASSWORD },
    });
    expect(answer).toEqual({ email: other.email, validMinutes: 24 * 60 });
    const notice = await mailbox().waitFor(other.email, {
      subject: "Someone tried to use your address on Sitepod",
    });
    expect(notice.Text).not.toContain("/verify-email/");
    expect((await getProfile({ actor })).pendingEmail).toBeNull();
    expect(await db().prisma.emailToken.count({ where: { userId: user.id } })).toBe(0);
  });

  it("refuses a confirmation when the address was taken meanwhile", async () => {
    const user = await newUser();
    const actor = { userId: user.id, ip: nextIp() };
    const next = `contested-${run}@example.test`;
    await requestEmailChange({ actor, input: { email: next, currentPassword: PASSWORD } });
    const token = tokenOf(linkIn(await mailbox().waitFor(next, { subject: "Confirm" }), "/verify-email/"));
    await createTestUser(db().prisma, { email: next });
    const refused = await rejection(verifyEmail({ input: { token }, ip: null }));
    expect([refused.code, refused.message]).toEqual([
      "CONFLICT",
      `${next} belongs to another user now; nothing was changed.`,
    ]);
    expect((await db().prisma.user.findUniqueOrThrow({ where: { id: user.id } })).email).toBe(user.email);
  });
});
