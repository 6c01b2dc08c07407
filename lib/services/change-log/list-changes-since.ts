import { membershipRoots, type RootMembership } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { type ChangeAction, Prisma } from "@/lib/generated/prisma/client";
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

/** A path as a LIKE prefix: account paths hold only ids and slashes, but a prefix must never match wider. */
function likePrefix(path: string): string {
  return `${path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Changes after `since` (exclusive) and up to `until` (inclusive, when given) on accounts below
 * `roots`, oldest first. Scoped inside the query by a join on the account's path prefix, so the
 * caller's reachable accounts are never loaded. Rows of deleted accounts (terminated) match no
 * root and stay hidden, as before.
 */
export async function listChangesForRoots(options: {
  roots: readonly Pick<RootMembership, "path">[];
  since: bigint;
  until?: bigint;
  limit?: number;
}): Promise<ChangeView[]> {
  const limit = Math.min(
    Math.max(Math.trunc(options.limit ?? LIST_CHANGES_DEFAULT_LIMIT), 1),
    LIST_CHANGES_MAX_LIMIT,
  );
  if (options.roots.length === 0) return [];
  const prefixes = Prisma.join(
    options.roots.map((r) => Prisma.sql`a.path LIKE ${likePrefix(r.path)}`),
    " OR ",
  );
  const until = options.until === undefined ? Prisma.empty : Prisma.sql`AND c.id <= ${options.until}`;
  const rows = await prisma.$queryRaw<
    { id: bigint; kind: string; objectId: string; accountId: string | null; action: ChangeAction }[]
  >`
    SELECT c.id, c.kind, c.objectId, c.accountId, c.action
    FROM ChangeLog c JOIN Account a ON a.id = c.accountId
    WHERE c.id > ${options.since} ${until} AND (${prefixes})
    ORDER BY c.id ASC
    LIMIT ${limit}`;
  return rows.map((row) => ({
    resourceVersion: BigInt(row.id).toString(),
    kind: row.kind,
    objectId: row.objectId,
    accountId: row.accountId,
    action: row.action,
  }));
}

/**
 * Changes after `since` (exclusive) on accounts the actor reaches, oldest first, for live updates.
 * Only ids and kinds are returned: the browser re-fetches what changed through the scoped APIs.
 */
export async function listChangesSince(options: {
  actor: Actor;
  since: bigint;
  until?: bigint;
  limit?: number;
}): Promise<ChangeView[]> {
  const roots = await membershipRoots(prisma, options.actor);
  return listChangesForRoots({ roots, since: options.since, until: options.until, limit: options.limit });
}
