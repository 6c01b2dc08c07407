import { apiTokenMatches, parseApiToken } from "@/lib/auth/api-token-format";
import {
  effectiveRole,
  type MembershipOnPath,
  membershipsOnPath,
  type RootMembership,
  rootsOnPath,
} from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { Prisma, type Role } from "@/lib/generated/prisma/client";
import { addressBlock } from "@/lib/http/client-address";
import { log } from "@/lib/log";
import type { TokenGrant } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import {
  type TwoFactorColumns,
  type TwoFactorRequirement,
  twoFactorColumnsSql,
  twoFactorOf,
} from "@/lib/services/two-factor/get-two-factor-requirement";

/** Last use is written at most this often per token (and whenever the address changes). */
export const API_TOKEN_TOUCH_INTERVAL_MS = 60_000;

export type ApiTokenRefusalCode = "TOKEN_INVALID" | "TOKEN_REVOKED" | "TOKEN_EXPIRED";

export type ApiTokenCheck =
  | {
      ok: true;
      userId: string;
      grant: TokenGrant;
      /** The creator's two-factor requirement, read with the token (lib/auth/bearer.ts decides). */
      twoFactor: TwoFactorRequirement;
    }
  | { ok: false; code: ApiTokenRefusalCode; message: string };

const INVALID: ApiTokenCheck = {
  ok: false,
  code: "TOKEN_INVALID",
  message:
    "This API token is not valid. Check that it was copied whole (it starts with sp_), or create a new one in the panel under API tokens.",
};

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The token's row as authentication needs it. */
interface TokenRow {
  id: string;
  name: string;
  userId: string;
  accountId: string;
  role: Role;
  secretHash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

/** A token with what deciding on it needs: its account, its creator's roles there, two-factor. */
interface TokenRead {
  row: TokenRow;
  accountPath: string;
  accountName: string;
  /** The creator's memberships on the token's account or an ancestor (a role there reaches it). */
  roots: RootMembership[];
  twoFactor: TwoFactorRequirement;
}

/**
 * The token by its id, with its account, its creator's memberships on the account's path and their
 * two-factor requirement: one statement, on every API call (null: no such token).
 */
async function readToken(tokenId: string): Promise<TokenRead | null> {
  const memberships = membershipsOnPath(Prisma.raw("t.userId"));
  const rows = await prisma.$queryRaw<
    (TokenRow & { accountPath: string; accountName: string } & MembershipOnPath & TwoFactorColumns)[]
  >`
    SELECT t.id, t.name, t.userId, t.accountId, t.role, t.secretHash, t.expiresAt, t.revokedAt,
      t.lastUsedAt, t.lastUsedIp, a.path AS accountPath, a.name AS accountName,
      ${memberships.columns}, ${twoFactorColumnsSql("u")}
    FROM ApiToken t
    JOIN Account a ON a.id = t.accountId
    JOIN User u ON u.id = t.userId
    ${memberships.join}
    WHERE t.id = ${tokenId}`;
  const first = rows[0];
  if (!first) return null;
  const { accountPath, accountName, memberRole, rootPath, twoFactorEnrolled, twoFactorRequired, ...row } =
    first;
  return { row, accountPath, accountName, roots: rootsOnPath(rows), twoFactor: twoFactorOf(first) };
}

/** Whether a token still grants anything: not revoked, not expired, its creator still a member. */
function checkToken(read: TokenRead, now: Date): ApiTokenCheck {
  const { row } = read;
  if (row.revokedAt) {
    return {
      ok: false,
      code: "TOKEN_REVOKED",
      message: `This API token ("${row.name}") was revoked on ${day(row.revokedAt)}. Create a new one in the panel under API tokens.`,
    };
  }
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) {
    return {
      ok: false,
      code: "TOKEN_EXPIRED",
      message: `This API token ("${row.name}") expired on ${day(row.expiresAt)}. Create a new one in the panel under API tokens.`,
    };
  }
  // The token acts for its creator: once they no longer hold a role on its account, it grants nothing.
  if (!effectiveRole(read.accountPath, read.roots)) {
    return {
      ok: false,
      code: "TOKEN_INVALID",
      message: `This API token ("${row.name}") no longer works: the person who created it is no longer a member of ${read.accountName}.`,
    };
  }
  return {
    ok: true,
    userId: row.userId,
    grant: {
      id: row.id,
      name: row.name,
      accountId: row.accountId,
      accountPath: read.accountPath,
      role: row.role,
    },
    twoFactor: read.twoFactor,
  };
}

/**
 * Records a use: lastUsedAt/lastUsedIp at most once per API_TOKEN_TOUCH_INTERVAL_MS unless the
 * address changed, and, the first time the token is used from an address (an IPv6 client counts as
 * its /64), an audit-log line. A busy token from one address costs one read per request.
 */
async function recordUse(row: TokenRow, ip: string | null, now: Date): Promise<void> {
  // An unknown address (a process that cannot tell) neither counts as new nor erases the last one.
  const sameAddress = ip === null || row.lastUsedIp === ip;
  const recent =
    row.lastUsedAt !== null && now.getTime() - row.lastUsedAt.getTime() < API_TOKEN_TOUCH_INTERVAL_MS;
  if (sameAddress && recent) return;
  await prisma.$transaction(async (tx) => {
    // Guarded by what was read, so that concurrent requests write the same minute once.
    await tx.apiToken.updateMany({
      where: { id: row.id, lastUsedAt: row.lastUsedAt, lastUsedIp: row.lastUsedIp },
      data: { lastUsedAt: now, ...(ip === null ? {} : { lastUsedIp: ip }) },
    });
    if (ip === null || sameAddress) return;
    const added = await tx.apiTokenAddress.createMany({
      data: [{ tokenId: row.id, address: addressBlock(ip), firstSeenAt: now }],
      skipDuplicates: true,
    });
    if (added.count === 0) return;
    await appendChange(tx, {
      kind: "ApiToken",
      objectId: row.id,
      accountId: row.accountId,
      action: "UPDATED",
      actorUserId: row.userId,
      actorIp: ip,
      data: { name: row.name, usedFrom: ip },
      summary: `API token "${row.name}" used from a new address (${ip})`,
    });
  });
}

/**
 * Checks a presented API token: well-formed (prefix, lengths, checksum), known by the id it embeds,
 * its hash equal to the stored one (constant-time), not revoked, not expired, and its creator still
 * a member of its account. A good token's use is recorded (recordUse). The refusals name the token
 * only once its secret has matched: a guess learns nothing beyond "not valid".
 */
export async function authenticateApiToken(options: {
  token: string;
  ip: string | null;
  now?: Date;
}): Promise<ApiTokenCheck> {
  const now = options.now ?? new Date();
  const parsed = parseApiToken(options.token);
  if (!parsed) return INVALID;
  const read = await readToken(parsed.id);
  if (!read || !apiTokenMatches(options.token, read.row.secretHash)) return INVALID;
  const { row } = read;
  const check = checkToken(read, now);
  if (!check.ok) {
    log.info("api token refused", {
      event: "api_token.refused",
      tokenId: row.id,
      code: check.code,
      ip: options.ip,
    });
    return check;
  }
  await recordUse(row, options.ip, now);
  return check;
}

/**
 * For long-lived requests (event streams) made with a token: whether it still grants anything, read
 * again without recording a use.
 */
export async function recheckApiToken(options: {
  tokenId: string;
  userId: string;
  now?: Date;
}): Promise<ApiTokenCheck> {
  const read = await readToken(options.tokenId);
  if (!read || read.row.userId !== options.userId) return INVALID;
  return checkToken(read, options.now ?? new Date());
}
