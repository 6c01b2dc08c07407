import { prisma } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The change-log row the retention job writes before it deletes anything (kind "ChangeLog",
 * object "compaction", no account: in no tenant's feed or audit log). Its data says up to which id
 * rows may be gone.
 */
export const COMPACTION_KIND = "ChangeLog";
export const COMPACTION_OBJECT_ID = "compaction";

/**
 * The highest change-log id that retention may have deleted (0 when nothing ever was). Every row
 * above it is still there, so a client may resume from any position at or above it; one below it
 * must start over. One indexed lookup of the newest compaction row.
 */
export async function getCompactionHorizon(options: { db?: PrismaClient } = {}): Promise<bigint> {
  const row = await (options.db ?? prisma).changeLog.findFirst({
    where: { kind: COMPACTION_KIND, objectId: COMPACTION_OBJECT_ID },
    orderBy: { id: "desc" },
    select: { data: true },
  });
  const value = (row?.data as { compactedThrough?: unknown } | null | undefined)?.compactedThrough;
  return typeof value === "string" && /^\d{1,19}$/.test(value) ? BigInt(value) : 0n;
}
