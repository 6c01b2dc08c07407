import { generateApiToken } from "@/lib/auth/api-token-format";
import { requireInteractive } from "@/lib/authz/interactive";
import { canCreateApiTokens, canGrantRole } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ApiToken, Prisma, Role } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { type ApiTokenView, toApiTokenView } from "@/lib/services/api-token/api-token-view";
import { appendChange } from "@/lib/services/change-log/append-change";
import { createApiTokenSchema, MAX_API_TOKENS_PER_USER_AND_ACCOUNT } from "@/lib/validation/api-token";
import { parseInput } from "@/lib/validation/parse-input";

export interface CreatedApiToken {
  token: ApiTokenView;
  /** The token itself: in this answer only. Sitepod keeps its SHA-256 and cannot show it again. */
  secret: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** "expires 2027-03-01" or "no expiry", for audit lines. */
function expiryText(expiresAt: Date | null): string {
  return expiresAt ? `expires ${expiresAt.toISOString().slice(0, 10)}` : "no expiry";
}

/**
 * Inserts a token for the caller in the caller's transaction, with its CREATED change. The caller
 * has authorized the account and the role. Refuses (LIMIT_EXCEEDED) a user's
 * MAX_API_TOKENS_PER_USER_AND_ACCOUNT+1st live token on one account, and (CONFLICT) a second live
 * token of theirs with the same name there (kubeconfig tokens are named by their time: not checked).
 */
export async function insertApiToken(
  tx: Prisma.TransactionClient,
  options: {
    actor: Actor;
    accountId: string;
    name: string;
    role: Role;
    expiresAt: Date | null;
    purpose?: "kubeconfig";
    now: Date;
  },
): Promise<{ row: ApiToken; secret: string }> {
  const { actor, accountId, name, role, expiresAt, now } = options;
  const account = await tx.account.findUnique({
    where: { id: accountId },
    select: { name: true, terminationRequestedAt: true },
  });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  if (account.terminationRequestedAt) {
    throw new AppError("CONFLICT", `${account.name} is being terminated: no new API token can be created.`);
  }
  const live = await tx.apiToken.findMany({
    where: {
      accountId,
      userId: actor.userId,
      revokedAt: null,
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    select: { name: true },
  });
  if (live.length >= MAX_API_TOKENS_PER_USER_AND_ACCOUNT) {
    throw new AppError(
      "LIMIT_EXCEEDED",
      `You already have ${live.length} API tokens on ${account.name}, the most one person may hold there. Revoke tokens you no longer use, then try again.`,
    );
  }
  if (!options.purpose && live.some((t) => t.name.toLowerCase() === name.toLowerCase())) {
    const message = `You already have a token named "${name}" here. Choose another name, or revoke that token first.`;
    throw new AppError("CONFLICT", message, { name: message });
  }
  const generated = generateApiToken();
  const row = await tx.apiToken.create({
    data: {
      id: generated.id,
      accountId,
      userId: actor.userId,
      name,
      role,
      secretHash: generated.secretHash,
      purpose: options.purpose ?? null,
      createdAt: now,
      expiresAt,
    },
  });
  await appendChange(tx, {
    kind: "ApiToken",
    objectId: row.id,
    accountId,
    action: "CREATED",
    actorUserId: actor.userId,
    actorIp: actor.ip ?? null,
    data: { name, role, expiresAt: expiresAt?.toISOString() ?? null, purpose: options.purpose ?? null },
    summary: `Created API token "${name}" (${role.toLowerCase()}, ${expiryText(expiresAt)})`,
  });
  return { row, secret: generated.token };
}

/**
 * Creates a named API token on an account for the caller: a role no stronger than their own there,
 * an optional expiry. Only a person signed in to the panel may (never another token). The secret is
 * in the answer only; the audit log records the creation.
 */
export async function createApiToken(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { name, role, expiresInDays }. */
  input: unknown;
  now?: Date;
}): Promise<CreatedApiToken> {
  const { actor, accountId } = options;
  requireInteractive(actor, "create API tokens");
  const ownRole = await authorizeAccount({
    actor,
    accountId,
    permission: canCreateApiTokens,
    action: "create API tokens",
  });
  const input = parseInput(createApiTokenSchema, options.input);
  if (!canGrantRole(ownRole, input.role)) {
    const message = `A token's role can be at most yours (${ownRole.toLowerCase()}). Choose ${ownRole.toLowerCase()} or a weaker role.`;
    throw new AppError("FORBIDDEN", message, { role: message });
  }
  const now = options.now ?? new Date();
  const expiresAt =
    input.expiresInDays === null ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS);
  const { row, secret } = await prisma.$transaction((tx) =>
    insertApiToken(tx, { actor, accountId, name: input.name, role: input.role, expiresAt, now }),
  );
  log.info("api token created", {
    event: "api_token.created",
    tokenId: row.id,
    accountId,
    userId: actor.userId,
    role: row.role,
  });
  const createdBy = await prisma.user.findUnique({
    where: { id: actor.userId },
    select: { id: true, email: true, name: true },
  });
  return { token: toApiTokenView(row, { createdBy, viewerUserId: actor.userId, now }), secret };
}
