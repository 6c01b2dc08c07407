import { prisma } from "@/lib/db";
import type { ChangeAction } from "@/lib/generated/prisma/enums";

export interface LiveFeedRow {
  id: bigint;
  kind: string;
  objectId: string;
  accountId: string | null;
  /** The account's path ("/<rootId>/.../<id>/"), null for rows of no account or of a deleted one. */
  accountPath: string | null;
  action: ChangeAction;
}

/**
 * Change-log rows with ids above `afterId`, oldest first, each with its account's path: the web
 * process's one read of the whole feed (lib/live/change-hub.ts), which each event stream filters
 * in memory by the paths its caller reaches. One query per poll, joined so no second lookup is
 * needed per account. Not for a user's request.
 */
export async function readLiveFeed(options: { afterId: bigint; limit: number }): Promise<LiveFeedRow[]> {
  const rows = await prisma.$queryRaw<
    {
      id: bigint;
      kind: string;
      objectId: string;
      accountId: string | null;
      accountPath: string | null;
      action: ChangeAction;
    }[]
  >`
    SELECT c.id, c.kind, c.objectId, c.accountId, a.path AS accountPath, c.action
    FROM ChangeLog c LEFT JOIN Account a ON a.id = c.accountId
    WHERE c.id > ${options.afterId}
    ORDER BY c.id ASC
    LIMIT ${options.limit}`;
  return rows.map((row) => ({ ...row, id: BigInt(row.id) }));
}
