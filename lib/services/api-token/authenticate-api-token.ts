import { apiTokenMatches, parseApiToken } from "@/lib/auth/api-token-format";
import { getAccountAccess } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addressBlock } from "@/lib/http/client-address";
import { log } from "@/lib/log";
import type { TokenGrant } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";

/** Last use is written at most this often per token (and whenever the address changes). */
export const API_TOKEN_TOUCH_INTERVAL_MS = 60_000;

export type ApiTokenRefusalCode = "TOKEN_INVALID" | "TOKEN_REVOKED" | "TOKEN_EXPIRED";

export type ApiTokenCheck =
  | { ok: true; userId: string; grant: TokenGrant }
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

const tokenSelect = {
  id: true,
  name: true,
  userId: true,
  role: true,
  secretHash: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  accountId: true,
} satisfies Prisma.ApiTokenSelect;

type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenSelect }>;

/** Whether a token row still grants anything: not revoked, not expired, its owner still a member. */
async function checkRow(row: TokenRow, now: Date): Promise<ApiTokenCheck> {
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
  // (One statement gives the account's path and their role: on every API call.)
  const access = await getAccountAccess({ actor: { userId: row.userId }, accountId: row.accountId });
  if (!access?.role) {
    const account = await prisma.account.findUnique({ where: { id: row.accountId }, select: { name: true } });
    return {
      ok: false,
      code: "TOKEN_INVALID",
      message: `This API token ("${row.name}") no longer works: the person who created it is no longer a member of ${account?.name ?? "its account"}.`,
    };
  }
  return {
    ok: true,
    userId: row.userId,
    grant: {
      id: row.id,
      name: row.name,
      accountId: row.accountId,
      accountPath: access.path,
      role: row.role,
    },
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
  const row = await prisma.apiToken.findUnique({ where: { id: parsed.id }, select: tokenSelect });
  if (!row || !apiTokenMatches(options.token, row.secretHash)) return INVALID;
  const check = await checkRow(row, now);
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
  const row = await prisma.apiToken.findUnique({ where: { id: options.tokenId }, select: tokenSelect });
  if (!row || row.userId !== options.userId) return INVALID;
  return checkRow(row, options.now ?? new Date());
}
