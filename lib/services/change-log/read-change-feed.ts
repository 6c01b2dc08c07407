import { prisma } from "@/lib/db";
import type { ChangeAction } from "@/lib/generated/prisma/enums";

export interface FeedRow {
  id: bigint;
  kind: string;
  objectId: string;
  accountId: string | null;
  action: ChangeAction;
  data: unknown;
}

/**
 * Change-log rows with ids above `afterId`, oldest first: the system's own read of the whole
 * feed, for processes that fan changes out to scoped subscribers themselves (the API server's
 * watch cache filters each event by what each watcher may see). Not for a user's request.
 */
export async function readChangeFeed(options: { afterId: bigint; limit: number }): Promise<FeedRow[]> {
  return prisma.changeLog.findMany({
    where: { id: { gt: options.afterId } },
    orderBy: { id: "asc" },
    take: options.limit,
    select: { id: true, kind: true, objectId: true, accountId: true, action: true, data: true },
  });
}
