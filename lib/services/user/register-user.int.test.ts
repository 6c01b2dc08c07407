import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { acceptInvite } from "@/lib/services/membership/accept-invite";
import { createInvite } from "@/lib/services/membership/create-invite";
import { registerUser } from "@/lib/services/user/register-user";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";
import { linkIn, testMailbox } from "@/tests/helpers/mailpit";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

const INVALID_LINK = "This invitation link is not valid or has expired. Ask for a new one.";
const PASSWORD = "correct horse battery";

async function newLink(): Promise<string> {
  const { token } = await createInvite({
    actor: { userId: t.acmeOwner.id },
    accountId: t.acme.id,
    input: { role: "DEVELOPER" },
  });
  return token;
}

/** What the form sends; the answer is all a visitor learns. */
async function register(token: string, email: string, password = PASSWORD) {
  return registerUser({ input: { token, name: "Visitor", email, password } });
}

describe("registerUser", () => {
  it("registers one user per link, once", async () => {
    const token = await newLink();
    expect(await register(token, "first@example.test")).toEqual({ email: "first@example.test" });
    const again = await rejection(register(token, "second@example.test"));
    expect([again.code, again.message]).toEqual(["NOT_FOUND", INVALID_LINK]);
    expect(await db().prisma.user.findUnique({ where: { email: "second@example.test" } })).toBeNull();

    // The invitation itself stays for the registered user to accept, once signed in.
    const first = await db().prisma.user.findUniqueOrThrow({ where: { email: "first@example.test" } });
    await expect(acceptInvite({ actor: { userId: first.id }, input: { token } })).resolves.toMatchObject({
      accountId: t.acme.id,
      role: "DEVELOPER",
    });
  });

  it("registers one user when two registrations race with one link", async () => {
    const token = await newLink();
    const before = await db().prisma.user.count();
    const results = await Promise.allSettled([
      register(token, "race-a@example.test"),
      register(token, "race-b@example.test"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(await db().prisma.user.count()).toBe(before + 1);
  });

  it("answers an existing email exactly as a new one, and changes nothing of that user", async () => {
    const existing = await createTestUser(db().prisma, {
      email: "taken@example.test",
      name: "Taken",
      passwordHash: await hashPassword("the-real-password"),
    });
    const before = await db().prisma.user.count();

    const fresh = await register(await newLink(), "fresh@example.test", "attacker-password");
    const token = await newLink();
    const taken = await register(token, "taken@example.test", "attacker-password");
    expect(taken).toEqual({ email: "taken@example.test" });
    expect(Object.keys(taken)).toEqual(Object.keys(fresh));
    // The new user is asked to confirm the address; the existing one gets nothing.
    const confirm = await testMailbox().waitFor("fresh@example.test", {
      subject: "Confirm your Sitepod email address",
    });
    expect(linkIn(confirm, "/verify-email/").pathname).toMatch(/^\/verify-email\/[A-Za-z0-9_-]{43}$/);
    expect(await testMailbox().to("taken@example.test")).toEqual([]);

    expect(await db().prisma.user.count()).toBe(before + 1);
    const after = await db().prisma.user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(after).toEqual(existing);
    expect(await verifyPassword(after.passwordHash, "the-real-password")).toBe(true);

    // The link is used up for registering either way, so a second try tells nothing either.
    const again = await rejection(register(token, "other@example.test"));
    expect([again.code, again.message]).toEqual(["NOT_FOUND", INVALID_LINK]);
    // The invitation stays pending: the existing user signs in and accepts it.
    await expect(acceptInvite({ actor: { userId: existing.id }, input: { token } })).resolves.toMatchObject({
      accountId: t.acme.id,
    });
  });

  it("refuses unknown, accepted and expired links alike, creating no user", async () => {
    const accepted = await newLink();
    await acceptInvite({ actor: { userId: t.stranger.id }, input: { token: accepted } });
    const expired = await newLink();
    await db().prisma.invite.updateMany({
      where: { registeredAt: null, acceptedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const before = await db().prisma.user.count();
    for (const token of ["A".repeat(43), accepted, expired]) {
      const refused = await rejection(register(token, "nobody@example.test"));
      expect([refused.code, refused.message]).toEqual(["NOT_FOUND", INVALID_LINK]);
    }
    expect(await db().prisma.user.count()).toBe(before);
  });
});
