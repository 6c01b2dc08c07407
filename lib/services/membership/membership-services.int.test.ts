import { beforeAll, describe, expect, it } from "vitest";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import { acceptInvite } from "@/lib/services/membership/accept-invite";
import { createInvite } from "@/lib/services/membership/create-invite";
import { hashInviteToken } from "@/lib/services/membership/invite-token";
import { removeMember } from "@/lib/services/membership/remove-member";
import { transferOwnership } from "@/lib/services/membership/transfer-ownership";
import { createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection, rowCounts } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

async function role(userId: string, accountId: string) {
  return (await db().prisma.membership.findUnique({ where: { userId_accountId: { userId, accountId } } }))
    ?.role;
}

describe("createInvite / acceptInvite", () => {
  it("hands out a token once, stores only its sha256, and grants the role on acceptance", async () => {
    const p = db().prisma;
    const { invite, token } = await createInvite({
      actor: { userId: t.acmeOwner.id, ip: "203.0.113.1" },
      accountId: t.acme.id,
      input: { role: "DEVELOPER", email: "Dev@Example.com" },
    });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invite).toMatchObject({ accountId: t.acme.id, role: "DEVELOPER", email: "dev@example.com" });
    const row = await p.invite.findUniqueOrThrow({ where: { id: invite.id } });
    expect(row.tokenHash).toBe(hashInviteToken(token));
    expect(
      JSON.stringify(await p.changeLog.findMany({ select: { data: true, summary: true } })),
    ).not.toContain(token);

    const dev = await createTestUser(p, { email: "dev@example.com" });
    const accepted = await acceptInvite({ actor: { userId: dev.id }, input: { token } });
    expect(accepted).toEqual({ accountId: t.acme.id, accountName: "Acme", role: "DEVELOPER" });
    expect(await role(dev.id, t.acme.id)).toBe("DEVELOPER");
    expect((await listMyAccounts({ actor: { userId: dev.id } })).accounts.map((a) => a.slug)).toEqual([
      "acme",
    ]);
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "Membership" },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({
      action: "CREATED",
      accountId: t.acme.id,
      actorUserId: dev.id,
      summary: "dev@example.com joined Acme as developer",
    });

    // Used once: a second user gets the same answer as for an unknown link.
    const before = await rowCounts(p);
    const again = await rejection(acceptInvite({ actor: { userId: t.stranger.id }, input: { token } }));
    expect([again.code, again.message]).toEqual([
      "NOT_FOUND",
      "This invitation link is not valid or has expired. Ask for a new one.",
    ]);
    const unknown = await rejection(
      acceptInvite({ actor: { userId: t.stranger.id }, input: { token: "A".repeat(43) } }),
    );
    expect(unknown.message).toBe(again.message);
    const garbage = await rejection(acceptInvite({ actor: { userId: t.stranger.id }, input: { token: 42 } }));
    expect(garbage.code).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual(before);
  });

  it("refuses expired links and members who already belong, writing nothing", async () => {
    const p = db().prisma;
    const { invite, token } = await createInvite({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { role: "VIEWER" },
    });
    const member = await rejection(acceptInvite({ actor: { userId: t.acmeViewer.id }, input: { token } }));
    expect([member.code, member.message]).toEqual(["CONFLICT", "You are already a member of Acme."]);
    await p.invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await rowCounts(p);
    const expired = await rejection(acceptInvite({ actor: { userId: t.stranger.id }, input: { token } }));
    expect(expired.code).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual(before);
    expect(await role(t.stranger.id, t.acme.id)).toBeUndefined();
  });

  it("refuses owners by invite, developers, viewers, strangers and other resellers", async () => {
    const p = db().prisma;
    const admin = await createTestUser(p, {
      email: "admin@acme.test",
      roles: [{ account: t.acme, role: "ADMIN" }],
    });
    const adminInvite = await createInvite({
      actor: { userId: admin.id },
      accountId: t.acme.id,
      input: { role: "ADMIN" },
    });
    expect(adminInvite.invite.role).toBe("ADMIN");
    const before = await rowCounts(p);
    const owner = await rejection(
      createInvite({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id, input: { role: "OWNER" } }),
    );
    expect([owner.code, owner.fieldErrors?.role]).toEqual([
      "INVALID_INPUT",
      "Choose admin, developer or viewer.",
    ]);
    const developer = await createTestUser(p, {
      email: "developer@acme.test",
      roles: [{ account: t.acme, role: "DEVELOPER" }],
    });
    const viewer = await rejection(
      createInvite({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id, input: { role: "VIEWER" } }),
    );
    expect([viewer.code, viewer.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to invite members.",
    ]);
    expect(
      (
        await rejection(
          createInvite({ actor: { userId: developer.id }, accountId: t.acme.id, input: { role: "VIEWER" } }),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect(
      (
        await rejection(
          createInvite({ actor: { userId: t.stranger.id }, accountId: t.acme.id, input: { role: "VIEWER" } }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(
      (
        await rejection(
          createInvite({
            actor: { userId: t.resBAdmin.id },
            accountId: t.acme.id,
            input: { role: "VIEWER" },
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual({ ...before, memberships: before.memberships + 1 });
  });
});

describe("removeMember", () => {
  it("lets an admin remove a weaker member and a member leave, never the owner", async () => {
    const p = db().prisma;
    const admin = await p.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    const dev = await p.user.findUniqueOrThrow({ where: { email: "dev@example.com" } });
    await removeMember({
      actor: { userId: admin.id, ip: "203.0.113.2" },
      accountId: t.acme.id,
      input: { userId: dev.id },
    });
    expect(await role(dev.id, t.acme.id)).toBeUndefined();
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "Membership" },
      orderBy: { id: "desc" },
    });
    expect(change).toMatchObject({
      action: "DELETED",
      summary: "Removed dev@example.com (developer) from Acme",
    });

    const before = await rowCounts(p);
    const removeOwner = await rejection(
      removeMember({ actor: { userId: admin.id }, accountId: t.acme.id, input: { userId: t.acmeOwner.id } }),
    );
    expect([removeOwner.code, removeOwner.message]).toEqual([
      "CONFLICT",
      "The owner cannot be removed. The owner can transfer ownership first.",
    ]);
    const ownerLeaves = await rejection(
      removeMember({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { userId: t.acmeOwner.id },
      }),
    );
    expect(ownerLeaves.message).toBe("Transfer the ownership to another member before leaving.");
    const viewer = await rejection(
      removeMember({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id, input: { userId: admin.id } }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    const stranger = await rejection(
      removeMember({ actor: { userId: t.stranger.id }, accountId: t.acme.id, input: { userId: admin.id } }),
    );
    expect(stranger.code).toBe("NOT_FOUND");
    const otherReseller = await rejection(
      removeMember({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id, input: { userId: admin.id } }),
    );
    expect(otherReseller.code).toBe("NOT_FOUND");
    const notMember = await rejection(
      removeMember({ actor: { userId: admin.id }, accountId: t.acme.id, input: { userId: t.stranger.id } }),
    );
    expect([notMember.code, notMember.message]).toEqual(["NOT_FOUND", "Member not found."]);
    expect(await rowCounts(p)).toEqual(before);

    // A viewer may leave on their own.
    const leaver = await createTestUser(p, {
      email: "leaver@acme.test",
      roles: [{ account: t.acme, role: "VIEWER" }],
    });
    await removeMember({ actor: { userId: leaver.id }, accountId: t.acme.id, input: { userId: leaver.id } });
    expect(await role(leaver.id, t.acme.id)).toBeUndefined();
  });
});

describe("transferOwnership", () => {
  it("makes a member the owner and the previous owner an admin", async () => {
    const p = db().prisma;
    const admin = await p.user.findUniqueOrThrow({ where: { email: "admin@acme.test" } });
    const before = await rowCounts(p);
    const notOwner = await rejection(
      transferOwnership({ actor: { userId: admin.id }, accountId: t.acme.id, input: { userId: admin.id } }),
    );
    expect([notOwner.code, notOwner.message]).toEqual([
      "FORBIDDEN",
      "Your role (admin) does not allow you to transfer the ownership.",
    ]);
    expect(
      (
        await rejection(
          transferOwnership({
            actor: { userId: t.resBAdmin.id },
            accountId: t.acme.id,
            input: { userId: admin.id },
          }),
        )
      ).code,
    ).toBe("NOT_FOUND");
    const notMember = await rejection(
      transferOwnership({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { userId: t.stranger.id },
      }),
    );
    expect(notMember.code).toBe("NOT_FOUND");
    expect(await rowCounts(p)).toEqual(before);

    await transferOwnership({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { userId: admin.id },
    });
    expect(await role(admin.id, t.acme.id)).toBe("OWNER");
    expect(await role(t.acmeOwner.id, t.acme.id)).toBe("ADMIN");
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "Membership" },
      orderBy: { id: "desc" },
    });
    expect(change.summary).toBe("Transferred the ownership of Acme to admin@acme.test");
  });
});
