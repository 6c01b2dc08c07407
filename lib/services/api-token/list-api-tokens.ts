import { requireInteractive } from "@/lib/authz/interactive";
import { canCreateApiTokens, canManageApiTokens } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { type ApiTokenView, toApiTokenView } from "@/lib/services/api-token/api-token-view";
import { loadActorVisibility } from "@/lib/services/audit-log/actor-visibility";

export interface ApiTokensView {
  tokens: ApiTokenView[];
  /** The caller's role on the account: the strongest role a new token of theirs may have. */
  role: Role;
  /** Whether the list holds every member's tokens (owners and admins) or only the caller's. */
  everyone: boolean;
}

/**
 * The account's API tokens that are not revoked (expired ones included, to be cleaned up), newest
 * first: every member's for owners and admins, the caller's own for everyone else.
 */
export async function listApiTokens(options: {
  actor: Actor;
  accountId: string;
  now?: Date;
}): Promise<ApiTokensView> {
  const { actor, accountId } = options;
  requireInteractive(actor, "list API tokens");
  const role = await authorizeAccount({
    actor,
    accountId,
    permission: canCreateApiTokens,
    action: "see API tokens",
  });
  const everyone = canManageApiTokens(role);
  const [rows, account] = await Promise.all([
    prisma.apiToken.findMany({
      where: { accountId, revokedAt: null, ...(everyone ? {} : { userId: actor.userId }) },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    }),
    prisma.account.findUniqueOrThrow({ where: { id: accountId }, select: { path: true } }),
  ]);
  const creators = await loadActorVisibility({
    viewerUserId: actor.userId,
    actorIds: rows.map((r) => r.userId),
  });
  const now = options.now ?? new Date();
  return {
    role,
    everyone,
    tokens: rows.map((row) =>
      toApiTokenView(row, {
        createdBy: creators.show(row.userId, account.path),
        viewerUserId: actor.userId,
        now,
      }),
    ),
  };
}
