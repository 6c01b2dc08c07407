import { beforeAll, describe, expect, it } from "vitest";
import { hashApiToken } from "@/lib/auth/api-token-format";
import { authenticateBearer, isTokenError, type Principal, type TokenError } from "@/lib/auth/bearer";
import type { Role } from "@/lib/generated/prisma/enums";
import { listMyAccounts } from "@/lib/services/account/list-my-accounts";
import { suspendAccount } from "@/lib/services/account/suspend-account";
import { authenticateApiToken } from "@/lib/services/api-token/authenticate-api-token";
import { createApiToken } from "@/lib/services/api-token/create-api-token";
import { listApiTokens } from "@/lib/services/api-token/list-api-tokens";
import { mintKubeconfigToken } from "@/lib/services/api-token/mint-kubeconfig-token";
import { revokeApiToken } from "@/lib/services/api-token/revoke-api-token";
import { listAuditLog } from "@/lib/services/audit-log/list-audit-log";
import { listDatabaseServers } from "@/lib/services/database/list-database-servers";
import { acceptInvite } from "@/lib/services/membership/accept-invite";
import { createInvite } from "@/lib/services/membership/create-invite";
import { listMembers } from "@/lib/services/membership/list-members";
import { listUserSessions } from "@/lib/services/session/list-user-sessions";
import { changePassword } from "@/lib/services/user/change-password";
import { requestEmailChange } from "@/lib/services/user/request-email-change";
import { updateProfile } from "@/lib/services/user/update-profile";
import { createTestAccount, createTestUser, withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, rejection } from "@/tests/helpers/hosting";

const db = withTestDatabase();
let t: HostingTree;

beforeAll(async () => {
  t = await createHostingTree(db().prisma);
});

let tokenCounter = 0;

/** A token of `userId` on `accountId` through the service, with a fresh name. */
async function tokenOf(
  userId: string,
  accountId: string,
  role: Role,
  expiresInDays: number | null = 30,
): Promise<{ id: string; secret: string }> {
  tokenCounter += 1;
  const { token, secret } = await createApiToken({
    actor: { userId, ip: "198.51.100.1" },
    accountId,
    input: { name: `token ${tokenCounter}`, role, expiresInDays },
  });
  return { id: token.id, secret };
}

async function principal(secret: string, ip: string | null = "198.51.100.1"): Promise<Principal> {
  const result = await authenticateBearer(`Bearer ${secret}`, ip);
  if (isTokenError(result)) throw new Error(`expected a principal, got ${result.code}: ${result.message}`);
  return result;
}

async function tokenError(header: string | null, ip: string | null = "198.51.100.1"): Promise<TokenError> {
  const result = await authenticateBearer(header, ip);
  if (!isTokenError(result)) throw new Error("expected a token error, got a principal");
  return result;
}

/** Everything an API token service writes, to show that a refused call wrote nothing. */
async function tokenRows() {
  const p = db().prisma;
  return {
    tokens: await p.apiToken.findMany({ orderBy: { id: "asc" } }),
    addresses: await p.apiTokenAddress.count(),
    changes: await p.changeLog.count(),
  };
}

describe("createApiToken", () => {
  it("hands out sp_ token once, stores only its SHA-256, and audits the creation", async () => {
    const p = db().prisma;
    const { token, secret } = await createApiToken({
      actor: { userId: t.acmeOwner.id, ip: "203.0.113.5" },
      accountId: t.acme.id,
      input: { name: "  Deploy script ", role: "DEVELOPER", expiresInDays: "90" },
      now: new Date("2026-12-01T10:00:00Z"),
    });
    expect(secret).toMatch(/^sp_[0-9a-z]{16}_[0-9A-Za-z]{46}$/);
    expect(secret.startsWith(`sp_${token.id}_`)).toBe(true);
    expect(token).toMatchObject({
      accountId: t.acme.id,
      name: "Deploy script",
      role: "DEVELOPER",
      purpose: null,
      mine: true,
      state: "active",
      createdAt: "2026-12-01T10:00:00.000Z",
      expiresAt: "2027-03-01T10:00:00.000Z",
      lastUsedAt: null,
      createdBy: { id: t.acmeOwner.id, email: t.acmeOwner.email },
    });
    const row = await p.apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(row.secretHash).toBe(hashApiToken(secret));
    expect(JSON.stringify(row)).not.toContain(secret.slice(20));
    const change = await p.changeLog.findFirstOrThrow({ where: { kind: "ApiToken", objectId: token.id } });
    expect(change).toMatchObject({
      action: "CREATED",
      accountId: t.acme.id,
      actorUserId: t.acmeOwner.id,
      actorIp: "203.0.113.5",
      summary: 'Created API token "Deploy script" (developer, expires 2027-03-01)',
    });
    expect(
      JSON.stringify(await p.changeLog.findMany({ select: { data: true, summary: true } })),
    ).not.toContain(secret.slice(20));
  });

  it("gives no expiry when asked for none", async () => {
    const { token } = await createApiToken({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { name: "forever", role: "VIEWER", expiresInDays: "never" },
    });
    expect(token.expiresAt).toBeNull();
  });

  it("refuses a role stronger than the creator's own (a viewer asking for an owner token), writing nothing", async () => {
    const before = await tokenRows();
    const err = await rejection(
      createApiToken({
        actor: { userId: t.acmeViewer.id },
        accountId: t.acme.id,
        input: { name: "escalate", role: "OWNER", expiresInDays: 30 },
      }),
    );
    expect(err.code).toBe("FORBIDDEN");
    expect(err.fieldErrors?.role).toBe(
      "A token's role can be at most yours (viewer). Choose viewer or a weaker role.",
    );
    expect(await tokenRows()).toEqual(before);
    // A viewer may have a viewer token.
    await expect(tokenOf(t.acmeViewer.id, t.acme.id, "VIEWER")).resolves.toMatchObject({});
  });

  it("says which field is wrong for bad input, writing nothing", async () => {
    const before = await tokenRows();
    const err = await rejection(
      createApiToken({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { name: "   ", role: "ROOT", expiresInDays: 12 },
      }),
    );
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors).toEqual({
      name: "Enter a name for the token, e.g. what uses it (deploy script, CI).",
      role: "Choose owner, admin, developer or viewer.",
      expiresInDays: "Choose 7, 30 or 90 days, 1 year, or no expiry.",
    });
    const long = await rejection(
      createApiToken({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { name: "x".repeat(81), role: "VIEWER", expiresInDays: null },
      }),
    );
    expect(long.fieldErrors?.name).toBe("Use at most 80 characters.");
    expect(await tokenRows()).toEqual(before);
  });

  it("refuses a second live token of the same name for the same person", async () => {
    await createApiToken({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { name: "ci", role: "VIEWER", expiresInDays: 7 },
    });
    const before = await tokenRows();
    const err = await rejection(
      createApiToken({
        actor: { userId: t.acmeOwner.id },
        accountId: t.acme.id,
        input: { name: "CI", role: "VIEWER", expiresInDays: 7 },
      }),
    );
    expect([err.code, err.fieldErrors?.name]).toEqual([
      "CONFLICT",
      'You already have a token named "CI" here. Choose another name, or revoke that token first.',
    ]);
    expect(await tokenRows()).toEqual(before);
  });

  it("answers NOT_FOUND for an account out of reach, and refuses a caller holding only a token", async () => {
    const before = await tokenRows();
    const foreign = await rejection(
      createApiToken({
        actor: { userId: t.resBAdmin.id },
        accountId: t.acme.id,
        input: { name: "x", role: "VIEWER", expiresInDays: 7 },
      }),
    );
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Account not found."]);
    const owner = await tokenOf(t.acmeOwner.id, t.acme.id, "OWNER");
    const viaToken = await rejection(
      createApiToken({
        actor: await principal(owner.secret),
        accountId: t.acme.id,
        input: { name: "minted by a token", role: "VIEWER", expiresInDays: 7 },
      }),
    );
    expect([viaToken.code, viaToken.message]).toEqual([
      "FORBIDDEN",
      "An API token cannot create API tokens. Sign in to the panel to do it.",
    ]);
    expect(await db().prisma.apiToken.count({ where: { name: "minted by a token" } })).toBe(0);
    expect((await tokenRows()).changes).toBeGreaterThan(before.changes); // the owner token's own creation
  });
});

describe("authenticateBearer", () => {
  it("turns a good token into a principal bounded by the token's account and role", async () => {
    const { id, secret } = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    const who = await principal(secret, "203.0.113.9");
    expect(who).toEqual({
      userId: t.acmeOwner.id,
      ip: "203.0.113.9",
      sessionId: null,
      token: { id, name: expect.any(String), accountId: t.acme.id, accountPath: t.acme.path, role: "VIEWER" },
    });
    // The scheme is case-insensitive; surrounding spaces are tolerated.
    expect(isTokenError(await authenticateBearer(`bearer   ${secret} `, null))).toBe(false);
  });

  it("answers TOKEN_INVALID alike for a missing, foreign-scheme, garbled, unknown or wrong token", async () => {
    const { id, secret } = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    const wrongSecret = `sp_${id}_${"A".repeat(40)}`;
    const before = await tokenRows();
    const answers = [];
    for (const header of [
      null,
      "",
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer nope",
      `Bearer ${secret}x`,
      `Bearer ${wrongSecret}AAAAAA`,
    ]) {
      answers.push(await tokenError(header));
    }
    for (const answer of answers) expect([answer.code, answer.status]).toEqual(["TOKEN_INVALID", 401]);
    // A token-shaped guess with a real id learns no more than garbage does.
    const guessed = secret.slice(0, 20) + "B".repeat(40);
    const forged = await tokenError(`Bearer ${guessed}${secret.slice(-6)}`);
    expect(forged.message).toBe(answers[4]?.message);
    expect(forged.message).not.toContain(id);
    expect(await tokenRows()).toEqual(before);
  });

  it("answers TOKEN_REVOKED once revoked and TOKEN_EXPIRED once past its expiry, without recording a use", async () => {
    const p = db().prisma;
    const revoked = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    await revokeApiToken({ actor: { userId: t.acmeOwner.id }, input: { tokenId: revoked.id } });
    const expired = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER", 7);
    await p.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const before = await tokenRows();
    const r = await tokenError(`Bearer ${revoked.secret}`);
    expect([r.code, r.status]).toEqual(["TOKEN_REVOKED", 401]);
    expect(r.message).toMatch(
      /^This API token \("token \d+"\) was revoked on \d{4}-\d\d-\d\d\. Create a new one/,
    );
    const e = await tokenError(`Bearer ${expired.secret}`);
    expect([e.code, e.status]).toEqual(["TOKEN_EXPIRED", 401]);
    expect(e.message).toMatch(/^This API token \("token \d+"\) expired on \d{4}-\d\d-\d\d\./);
    expect(await tokenRows()).toEqual(before);
  });

  it("stops working once its creator is no longer a member of its account", async () => {
    const p = db().prisma;
    const dev = await createTestUser(p, {
      email: "leaver@acme.test",
      roles: [{ account: t.acme, role: "DEVELOPER" }],
    });
    const { secret } = await tokenOf(dev.id, t.acme.id, "DEVELOPER");
    await principal(secret);
    await p.membership.deleteMany({ where: { userId: dev.id } });
    const err = await tokenError(`Bearer ${secret}`);
    expect([err.code, err.message]).toEqual([
      "TOKEN_INVALID",
      expect.stringContaining("the person who created it is no longer a member of Acme"),
    ]);
  });

  it("is refused while an account above its creator's requires two-factor sign-in they have not set up", async () => {
    const p = db().prisma;
    const gate = await createTestAccount(p, { slug: "gate", kind: "RESELLER", parent: t.platform });
    const gated = await createTestAccount(p, { slug: "gated", parent: gate });
    const owner = await createTestUser(p, {
      email: "owner@gated.test",
      roles: [{ account: gated, role: "OWNER" }],
    });
    const { secret } = await tokenOf(owner.id, gated.id, "OWNER");
    expect((await principal(secret)).token.accountId).toBe(gated.id);
    await p.account.update({ where: { id: gate.id }, data: { requireTwoFactor: true } });
    const refused = await tokenError(`Bearer ${secret}`);
    expect([refused.code, refused.status]).toEqual(["FORBIDDEN", 403]);
    expect(refused.message).toMatch(/^An account you belong to requires two-factor sign-in/);
    await p.user.update({ where: { id: owner.id }, data: { twoFactorEnabledAt: new Date() } });
    expect((await principal(secret)).userId).toBe(owner.id);
  });

  it("records the last use at most once a minute, and audits each new address once", async () => {
    const p = db().prisma;
    const { id, secret } = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s));
    const use = (ip: string | null, now: Date) => authenticateApiToken({ token: secret, ip, now });
    const row = () => p.apiToken.findUniqueOrThrow({ where: { id } });
    const audited = () =>
      p.changeLog.findMany({
        where: { kind: "ApiToken", objectId: id, action: "UPDATED" },
        orderBy: { id: "asc" },
      });

    expect((await use("203.0.113.1", at(0))).ok).toBe(true);
    expect(await row()).toMatchObject({ lastUsedAt: at(0), lastUsedIp: "203.0.113.1" });
    // Within the minute from the same address: nothing written.
    await use("203.0.113.1", at(30));
    expect((await row()).lastUsedAt).toEqual(at(0));
    // A minute later: written again.
    await use("203.0.113.1", at(61));
    expect((await row()).lastUsedAt).toEqual(at(61));
    // Another address at once: written, and audited.
    await use("2001:db8:1:2::10", at(62));
    expect(await row()).toMatchObject({ lastUsedAt: at(62), lastUsedIp: "2001:db8:1:2::10" });
    // Back to a known address, then another address in the same IPv6 /64: written, not audited.
    await use("203.0.113.1", at(63));
    await use("2001:db8:1:2::99", at(64));
    expect((await row()).lastUsedIp).toBe("2001:db8:1:2::99");
    // A use whose address is unknown: the time is written (after a minute), the last address kept.
    await use(null, at(130));
    expect(await row()).toMatchObject({ lastUsedAt: at(130), lastUsedIp: "2001:db8:1:2::99" });
    const lines = await audited();
    expect(lines.map((l) => [l.summary, l.actorUserId, l.actorIp, l.accountId])).toEqual([
      [
        expect.stringMatching(/^API token "token \d+" used from a new address \(203\.0\.113\.1\)$/),
        t.acmeOwner.id,
        "203.0.113.1",
        t.acme.id,
      ],
      [
        expect.stringMatching(/used from a new address \(2001:db8:1:2::10\)$/),
        t.acmeOwner.id,
        "2001:db8:1:2::10",
        t.acme.id,
      ],
    ]);
    // The owner sees the use in the audit log.
    const log = await listAuditLog({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(log.map((entry) => entry.summary)).toContain(lines[1]?.summary);
  });
});

describe("a token's principal reaches what the token grants, nothing more", () => {
  it("a viewer token of an owner reads like a viewer and is refused what viewers are refused", async () => {
    const { secret } = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    const viewer = await principal(secret);
    await expect(listMembers({ actor: viewer, accountId: t.acme.id })).resolves.toMatchObject({});
    const err = await rejection(
      createInvite({ actor: viewer, accountId: t.acme.id, input: { role: "VIEWER" } }),
    );
    expect([err.code, err.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to invite members.",
    ]);
  });

  it("sees only the token's account and the accounts below it", async () => {
    const p = db().prisma;
    // The platform's owner, with a token on reseller A: reseller B and the platform are out of reach.
    const { secret } = await tokenOf(t.platformOwner.id, t.resA.id, "ADMIN");
    const admin = await principal(secret);
    expect((await listMyAccounts({ actor: admin })).accounts.map((a) => [a.slug, a.role]).sort()).toEqual([
      ["acme", "ADMIN"],
      ["res-a", "ADMIN"],
    ]);
    const foreign = await rejection(listMembers({ actor: admin, accountId: t.globex.id }));
    expect([foreign.code, foreign.message]).toEqual(["NOT_FOUND", "Account not found."]);
    // Operator-only calls need a token on the platform account itself.
    const operator = await rejection(listDatabaseServers({ actor: admin }));
    expect(operator.code).toBe("NOT_FOUND");
    const platformToken = await principal(
      (await tokenOf(t.platformOwner.id, t.platform.id, "VIEWER")).secret,
    );
    await expect(listDatabaseServers({ actor: platformToken })).resolves.toEqual(expect.any(Array));
    // A provider's action on acme needs a token above acme: one on acme itself is acme's own role.
    const onAcme = await principal((await tokenOf(t.resAAdmin.id, t.acme.id, "ADMIN")).secret);
    const own = await rejection(
      suspendAccount({ actor: onAcme, accountId: t.acme.id, input: { reason: "x" } }),
    );
    expect([own.code, own.message]).toEqual([
      "FORBIDDEN",
      "Only the provider of Acme can suspend this account. Contact your provider.",
    ]);
    const onResA = await principal((await tokenOf(t.resAAdmin.id, t.resA.id, "ADMIN")).secret);
    await suspendAccount({ actor: onResA, accountId: t.acme.id, input: { reason: "Unpaid invoice" } });
    expect((await p.account.findUniqueOrThrow({ where: { id: t.acme.id } })).status).toBe("SUSPENDED");
    await p.account.update({
      where: { id: t.acme.id },
      data: { status: "ACTIVE", suspendedAt: null, suspendedReason: null },
    });
  });

  it("never grants more than the user holds now: a demoted owner's owner token acts as a viewer", async () => {
    const p = db().prisma;
    const user = await createTestUser(p, {
      email: "demoted@acme.test",
      roles: [{ account: t.acme, role: "OWNER" }],
    });
    const { secret } = await tokenOf(user.id, t.acme.id, "OWNER");
    await p.membership.update({
      where: { userId_accountId: { userId: user.id, accountId: t.acme.id } },
      data: { role: "VIEWER" },
    });
    const err = await rejection(
      createInvite({ actor: await principal(secret), accountId: t.acme.id, input: { role: "VIEWER" } }),
    );
    expect([err.code, err.message]).toEqual([
      "FORBIDDEN",
      "Your role (viewer) does not allow you to invite members.",
    ]);
  });

  it("cannot change the user's password, email address or name, read their sessions or join accounts", async () => {
    const token = await principal((await tokenOf(t.acmeOwner.id, t.acme.id, "OWNER")).secret);
    for (const call of [
      changePassword({
        actor: token,
        input: { currentPassword: "x", newPassword: "y".repeat(12), confirmPassword: "y".repeat(12) },
      }),
      requestEmailChange({ actor: token, input: { email: "elsewhere@example.test", currentPassword: "x" } }),
      updateProfile({ actor: token, input: { name: "Renamed by a script" } }),
      listUserSessions({ actor: token }),
      acceptInvite({ actor: token, input: { token: "A".repeat(43) } }),
    ]) {
      const err = await rejection(call);
      expect([err.code, err.message]).toEqual([
        "FORBIDDEN",
        expect.stringMatching(/^An API token cannot .+\. Sign in to the panel to do it\.$/),
      ]);
    }
  });
});

describe("listApiTokens / revokeApiToken", () => {
  it("shows members their own tokens and owners and admins everyone's; provider staff as their provider", async () => {
    const p = db().prisma;
    const dev = await createTestUser(p, {
      email: "dev-list@acme.test",
      roles: [{ account: t.acme, role: "DEVELOPER" }],
    });
    const devToken = await tokenOf(dev.id, t.acme.id, "DEVELOPER");
    const staffToken = await tokenOf(t.resAAdmin.id, t.acme.id, "ADMIN");
    await authenticateApiToken({ token: staffToken.secret, ip: "192.0.2.44" });

    const mine = await listApiTokens({ actor: { userId: dev.id }, accountId: t.acme.id });
    expect(mine.everyone).toBe(false);
    expect(mine.role).toBe("DEVELOPER");
    expect(mine.tokens.map((tk) => tk.id)).toEqual([devToken.id]);

    const all = await listApiTokens({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(all.everyone).toBe(true);
    const ids = all.tokens.map((tk) => tk.id);
    expect(ids).toEqual(expect.arrayContaining([devToken.id, staffToken.id]));
    const staff = all.tokens.find((tk) => tk.id === staffToken.id);
    expect(staff).toMatchObject({
      createdBy: { id: null, email: null, name: "Reseller A staff" },
      lastUsedIp: null,
      mine: false,
    });
    expect(staff?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(all)).not.toContain(t.resAAdmin.email);
    // Reseller A's own admin sees who and from where.
    const provider = await listApiTokens({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id });
    expect(provider.tokens.find((tk) => tk.id === staffToken.id)).toMatchObject({
      createdBy: { id: t.resAAdmin.id },
      lastUsedIp: "192.0.2.44",
      mine: true,
    });
    // Never a hash.
    expect(JSON.stringify(all)).not.toMatch(/secretHash|[0-9a-f]{64}/);
  });

  it("lets the creator and the account's admins revoke, not other members; a foreign caller gets NOT_FOUND", async () => {
    const p = db().prisma;
    const dev = await createTestUser(p, {
      email: "dev-revoke@acme.test",
      roles: [{ account: t.acme, role: "DEVELOPER" }],
    });
    const theirs = await tokenOf(t.acmeOwner.id, t.acme.id, "VIEWER");
    const before = await tokenRows();
    const weak = await rejection(
      revokeApiToken({ actor: { userId: dev.id }, input: { tokenId: theirs.id } }),
    );
    expect([weak.code, weak.message]).toEqual([
      "FORBIDDEN",
      "Your role (developer) does not allow you to revoke other members' API tokens. Ask an owner or admin of Acme.",
    ]);
    const foreign = await rejection(
      revokeApiToken({ actor: { userId: t.resBAdmin.id }, input: { tokenId: theirs.id } }),
    );
    const ghost = await rejection(
      revokeApiToken({ actor: { userId: t.resBAdmin.id }, input: { tokenId: "0123456789abcdef" } }),
    );
    expect([foreign.code, foreign.message]).toEqual([ghost.code, ghost.message]);
    expect(foreign.code).toBe("NOT_FOUND");
    const bad = await rejection(
      revokeApiToken({ actor: { userId: t.acmeOwner.id }, input: { tokenId: "x" } }),
    );
    expect([bad.code, bad.fieldErrors?.tokenId]).toEqual(["INVALID_INPUT", "Choose a token."]);
    expect(await tokenRows()).toEqual(before);

    const own = await tokenOf(dev.id, t.acme.id, "VIEWER");
    await revokeApiToken({ actor: { userId: dev.id, ip: "203.0.113.77" }, input: { tokenId: own.id } });
    await revokeApiToken({ actor: { userId: t.resAAdmin.id }, input: { tokenId: theirs.id } });
    const rows = await p.apiToken.findMany({ where: { id: { in: [own.id, theirs.id] } } });
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    expect(rows.find((r) => r.id === theirs.id)?.revokedByUserId).toBe(t.resAAdmin.id);
    const again = await rejection(revokeApiToken({ actor: { userId: dev.id }, input: { tokenId: own.id } }));
    expect(again.code).toBe("NOT_FOUND");
    const change = await p.changeLog.findFirstOrThrow({
      where: { kind: "ApiToken", objectId: own.id, action: "DELETED" },
    });
    expect(change).toMatchObject({ actorUserId: dev.id, actorIp: "203.0.113.77", accountId: t.acme.id });
    expect(change.summary).toMatch(/^Revoked API token "token \d+"$/);
    const listed = await listApiTokens({ actor: { userId: t.acmeOwner.id }, accountId: t.acme.id });
    expect(listed.tokens.map((tk) => tk.id)).not.toContain(theirs.id);
  });
});

describe("mintKubeconfigToken", () => {
  it("mints a 90-day token with the caller's role unless a weaker one is asked for", async () => {
    const now = new Date();
    const minted = await mintKubeconfigToken({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      now,
    });
    expect(minted).toMatchObject({ accountId: t.acme.id, accountSlug: "acme", role: "OWNER" });
    expect(Date.parse(minted.expiresAt ?? "") - now.getTime()).toBe(90 * 24 * 3600 * 1000);
    const who = await principal(minted.token);
    expect(who.token).toMatchObject({ id: minted.tokenId, role: "OWNER", accountId: t.acme.id });
    const row = await db().prisma.apiToken.findUniqueOrThrow({ where: { id: minted.tokenId } });
    expect(row).toMatchObject({
      purpose: "kubeconfig",
      name: expect.stringMatching(/^kubeconfig \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
    });

    const weaker = await mintKubeconfigToken({
      actor: { userId: t.acmeOwner.id },
      accountId: t.acme.id,
      input: { role: "VIEWER" },
    });
    expect(weaker.role).toBe("VIEWER");
    const err = await rejection(
      mintKubeconfigToken({
        actor: { userId: t.acmeViewer.id },
        accountId: t.acme.id,
        input: { role: "ADMIN" },
      }),
    );
    expect(err.code).toBe("FORBIDDEN");
    const viaToken = await rejection(mintKubeconfigToken({ actor: who, accountId: t.acme.id }));
    expect(viaToken.code).toBe("FORBIDDEN");
  });
});
