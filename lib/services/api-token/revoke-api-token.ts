import { requireInteractive } from "@/lib/authz/interactive";
import { canManageApiTokens } from "@/lib/authz/permissions";
import { getAccountRole, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { apiTokenParamsSchema } from "@/lib/validation/api-token";
import { parseInput } from "@/lib/validation/parse-input";

const NOT_FOUND = "API token not found. It may have been revoked already.";

/**
 * Revokes an API token at once: its next request answers 401 TOKEN_REVOKED. Its creator may revoke
 * it, and so may the account's owners and admins (and their providers'). A token the caller cannot
 * reach, or already revoked, is NOT_FOUND. The audit log records the revocation.
 */
export async function revokeApiToken(options: {
  actor: Actor;
  /** Untrusted: { tokenId }. */
  input: unknown;
  now?: Date;
}): Promise<{ id: string }> {
  const { actor } = options;
  requireInteractive(actor, "revoke API tokens");
  const { tokenId } = parseInput(apiTokenParamsSchema, options.input);
  const token = await prisma.apiToken.findFirst({
    where: { id: tokenId, revokedAt: null, account: await reachableAccountWhere(actor) },
    select: {
      id: true,
      name: true,
      accountId: true,
      userId: true,
      account: { select: { name: true } },
    },
  });
  if (!token) throw new AppError("NOT_FOUND", NOT_FOUND);
  const role = await getAccountRole({ actor, accountId: token.accountId });
  if (!role) throw new AppError("NOT_FOUND", NOT_FOUND);
  const own = token.userId === actor.userId;
  if (!own && !canManageApiTokens(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to revoke other members' API tokens. Ask an owner or admin of ${token.account.name}.`,
    );
  }
  const now = options.now ?? new Date();
  await prisma.$transaction(async (tx) => {
    // The revokedAt guard makes concurrent revocations record one change, not two.
    const revoked = await tx.apiToken.updateMany({
      where: { id: token.id, revokedAt: null },
      data: { revokedAt: now, revokedByUserId: actor.userId },
    });
    if (revoked.count === 0) throw new AppError("NOT_FOUND", NOT_FOUND);
    await appendChange(tx, {
      kind: "ApiToken",
      objectId: token.id,
      accountId: token.accountId,
      action: "DELETED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { name: token.name, revoked: true },
      // Not whose it was: the creation line names its creator, as each reader of the log may see them.
      summary: `Revoked API token "${token.name}"`,
    });
  });
  log.info("api token revoked", {
    event: "api_token.revoked",
    tokenId: token.id,
    accountId: token.accountId,
    userId: actor.userId,
  });
  return { id: token.id };
}
