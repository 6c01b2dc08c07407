import { listReachableAccounts } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { ChangeAction } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";

export interface ChangeView {
  /** The change-log id as a decimal string (bigint does not survive JSON). */
  resourceVersion: string;
  kind: string;
  objectId: string;
  accountId: string | null;
  action: ChangeAction;
}

export const LIST_CHANGES_DEFAULT_LIMIT = 100;
export const LIST_CHANGES_MAX_LIMIT = 1_000;

/**
 * Changes after `since` (exclusive) on accounts the actor reaches, oldest first, for live updates.
 * Only ids and kinds are returned: the browser re-fetches what changed through the scoped APIs.
 */
export async function listChangesSince(options: {
  actor: Actor;
  since: bigint;
  limit?: number;
}): Promise<ChangeView[]> {
  const limit = Math.min(
    Math.max(Math.trunc(options.limit ?? LIST_CHANGES_DEFAULT_LIMIT), 1),
    LIST_CHANGES_MAX_LIMIT,
  );
  const reachable = await listReachableAccounts(options.actor.userId);
  if (reachable.length === 0) return [];
  const rows = await prisma.changeLog.findMany({
    where: { id: { gt: options.since }, accountId: { in: reachable.map((r) => r.account.id) } },
    orderBy: { id: "asc" },
    take: limit,
    select: { id: true, kind: true, objectId: true, accountId: true, action: true },
  });
  return rows.map((row) => ({
    resourceVersion: row.id.toString(),
    kind: row.kind,
    objectId: row.objectId,
    accountId: row.accountId,
    action: row.action,
  }));
}
