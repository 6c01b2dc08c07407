/**
 * Invitations by email, against the real MariaDB and the run's Mailpit: sent, resent with a new
 * link, revoked; each in the account's audit log.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { acceptInvite } from "@/lib/services/membership/accept-invite";
import { createInvite } from "@/lib/services/membership/create-invite";
import { getInvite } from "@/lib/services/membership/get-invite";
import { listMembers } from "@/lib/services/membership/list-members";
import { resendInvite } from "@/lib/services/membership/resend-invite";
import { revokeInvite } from "@/lib/services/membership/revoke-invite";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection, rowCounts } from "@/tests/helpers/hosting";
import { linkIn, testMailbox, tokenOf } from "@/tests/helpers/mailpit";

const db = withTestDatabase();
const run = randomBytes(4).toString("hex");
let t: HostingTree;
let counter = 0;

beforeAll(async () => {
  t = await createHostingTree(db().prisma, `inv${run}-`);
  await db().prisma.user.update({ where: { id: t.acmeOwner.id }, data: { name: "Olga Owner" } });
});

const owner = () => ({ userId: t.acmeOwner.id, ip: "198.51.100.30" });
const invitee = () => `invitee-${run}-${++counter}@example.test`;

async function auditOf(inviteId: string): Promise<string[]> {
  const rows = await db().prisma.changeLog.findMany({
    where: { kind: "Invite", objectId: inviteId },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => `${r.action} ${r.summary}`);
}

/** Makes an invitation look mailed long enough ago to be resent. */
async function age(inviteId: string) {
  await db().prisma.invite.update({
    where: { id: inviteId },
    data: { emailedAt: new Date(Date.now() - 120_000) },
  });
}

describe("invitations by email", () => {
  it("mails the link to the invitee, who can use it", async () => {
    const email = invitee();
    const created = await createInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { role: "DEVELOPER", email, sendEmail: true },
    });
    expect(created.emailError).toBeUndefined();
    expect(created.invite.emailedAt).not.toBeNull();

    const mail = await testMailbox().waitFor(email, {
      subject: `You are invited to ${t.acme.name} on Sitepod`,
    });
    expect(mail.Text).toContain(
      `Olga Owner (${t.acmeOwner.email}) invites you to join ${t.acme.name} on Sitepod as developer.`,
    );
    const link = linkIn(mail, "/invite/");
    expect(tokenOf(link)).toBe(created.token);
    expect(await getInvite({ token: tokenOf(link) })).toMatchObject({
      accountName: t.acme.name,
      role: "DEVELOPER",
    });

    const members = await listMembers({ actor: owner(), accountId: t.acme.id });
    expect(members.pendingInvites.find((i) => i.id === created.invite.id)?.emailedAt).toBe(
      created.invite.emailedAt,
    );
    expect(await auditOf(created.invite.id)).toEqual([
      `CREATED Invited ${email} to ${t.acme.name} as developer`,
      `UPDATED Sent the invitation link to ${email} by email`,
    ]);
  });

  it("keeps the invitation and its link when the mail cannot go out, and says why", async () => {
    const saved = process.env.SITEPOD_SMTP_URL;
    // A port nothing listens on: the connection is refused.
    process.env.SITEPOD_SMTP_URL = "smtp://127.0.0.1:9";
    try {
      const created = await createInvite({
        actor: owner(),
        accountId: t.acme.id,
        input: { role: "VIEWER", email: invitee(), sendEmail: true },
      });
      expect(created.emailError).toBe(
        "The email could not be sent: the mail server did not accept it. Try again in a few minutes; if it keeps failing, tell your provider.",
      );
      expect(created.invite.emailedAt).toBeNull();
      expect(await getInvite({ token: created.token })).not.toBeNull();
      expect((await auditOf(created.invite.id)).length).toBe(1);
    } finally {
      process.env.SITEPOD_SMTP_URL = saved;
    }
  });

  it("resends with a new link; the old one stops working, an expired one comes back", async () => {
    const email = invitee();
    const created = await createInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { role: "VIEWER", email, sendEmail: true },
    });
    // Too soon after the first mail.
    const soon = await rejection(
      resendInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } }),
    );
    expect([soon.code, soon.message]).toEqual([
      "LIMIT_EXCEEDED",
      `The invitation was sent to ${email} less than a minute ago. Give it a moment to arrive before sending it again.`,
    ]);

    await age(created.invite.id);
    await db().prisma.invite.update({
      where: { id: created.invite.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await getInvite({ token: created.token })).toBeNull();
    const resent = await resendInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { inviteId: created.invite.id },
    });
    expect(resent.token).not.toBe(created.token);
    expect(new Date(resent.invite.expiresAt).getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600_000);

    const second = await testMailbox().waitFor(email, { subject: "You are invited", count: 2 });
    expect(tokenOf(linkIn(second, "/invite/"))).toBe(resent.token);
    expect(await getInvite({ token: created.token })).toBeNull();
    expect(await getInvite({ token: resent.token })).not.toBeNull();
    await acceptInvite({ actor: { userId: t.stranger.id }, input: { token: resent.token } });
    expect(await auditOf(created.invite.id)).toEqual([
      `CREATED Invited ${email} to ${t.acme.name} as viewer`,
      `UPDATED Sent the invitation link to ${email} by email`,
      `UPDATED Resent the invitation of ${email} to ${t.acme.name} by email, with a new link (the previous one no longer works)`,
    ]);
    // Accepted: nothing to resend or revoke.
    await age(created.invite.id);
    const accepted = await rejection(
      resendInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } }),
    );
    expect(accepted.code).toBe("NOT_FOUND");
  });

  it("leaves the old link working when a resend cannot be mailed", async () => {
    const created = await createInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { role: "VIEWER", email: invitee(), sendEmail: true },
    });
    await age(created.invite.id);
    const saved = process.env.SITEPOD_SMTP_URL;
    process.env.SITEPOD_SMTP_URL = "smtp://127.0.0.1:9";
    try {
      const refused = await rejection(
        resendInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } }),
      );
      expect(refused.code).toBe("UNAVAILABLE");
    } finally {
      process.env.SITEPOD_SMTP_URL = saved;
    }
    expect(await getInvite({ token: created.token })).not.toBeNull();
    expect((await auditOf(created.invite.id)).length).toBe(2);
  });

  it("refuses to resend a link that names no address", async () => {
    const created = await createInvite({ actor: owner(), accountId: t.acme.id, input: { role: "VIEWER" } });
    const refused = await rejection(
      resendInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } }),
    );
    expect([refused.code, refused.message]).toEqual([
      "CONFLICT",
      "This invitation names no email address to send it to. Revoke it and invite again with the address.",
    ]);
  });

  it("revokes: the link stops working, the audit log says so", async () => {
    const email = invitee();
    const created = await createInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { role: "ADMIN", email },
    });
    await revokeInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } });
    expect(await getInvite({ token: created.token })).toBeNull();
    const late = await rejection(
      acceptInvite({ actor: { userId: t.stranger.id }, input: { token: created.token } }),
    );
    expect(late.code).toBe("NOT_FOUND");
    expect(await auditOf(created.invite.id)).toEqual([
      `CREATED Invited ${email} to ${t.acme.name} as admin`,
      `DELETED Revoked the invitation of ${email} to ${t.acme.name} as admin`,
    ]);
    const again = await rejection(
      revokeInvite({ actor: owner(), accountId: t.acme.id, input: { inviteId: created.invite.id } }),
    );
    expect(again.code).toBe("NOT_FOUND");
  });

  it("lets only the account's owners and admins resend or revoke, and hides other accounts' invitations", async () => {
    const created = await createInvite({
      actor: owner(),
      accountId: t.acme.id,
      input: { role: "VIEWER", email: invitee(), sendEmail: true },
    });
    await age(created.invite.id);
    const input = { inviteId: created.invite.id };
    const before = await rowCounts(db().prisma);
    const viewer = await rejection(
      revokeInvite({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id, input }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    const foreign = await rejection(
      revokeInvite({ actor: { userId: t.resBAdmin.id }, accountId: t.acme.id, input }),
    );
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Account not found."]);
    // Named through an account of their own: the invitation is not there.
    const elsewhere = await rejection(
      resendInvite({ actor: { userId: t.resBAdmin.id }, accountId: t.globex.id, input }),
    );
    expect(elsewhere.code).toBe("NOT_FOUND");
    expect(await rowCounts(db().prisma)).toEqual(before);
    // The provider above may.
    await revokeInvite({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input });
  });
});
