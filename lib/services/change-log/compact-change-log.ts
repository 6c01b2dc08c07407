import { prisma as defaultPrisma } from "@/lib/db";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { type Logger, log as rootLog } from "@/lib/log";
import { appendChange } from "./append-change";
import { COMPACTION_KIND, COMPACTION_OBJECT_ID, getCompactionHorizon } from "./get-compaction-horizon";
import type { RetentionPolicy } from "./retention-policy";

export interface CompactionResult {
  deleted: { audit: number; feed: number };
  batches: number;
  /** Every row above this id is still there (0: nothing was ever deleted). */
  compactedThrough: bigint;
}

const DAY_MS = 86_400_000;

/**
 * Deletes change-log rows older than the retention policy, in bounded batches (one short
 * statement each): every row older than the audit retention, and STATUS rows older than the feed
 * retention (found through the createdAt index). As etcd's compaction keeps each key's latest revision, the newest row of each object
 * stays (unless it says the object was deleted): it is the object's resourceVersion, which lists
 * and the API server's watch cache read. The newest row of the log stays too (it is the feed's
 * position). Before deleting, a compaction row records up to which id rows may be gone, so that a
 * client resuming from an older position is told to start over (getCompactionHorizon).
 */
export async function compactChangeLog(options: {
  policy: RetentionPolicy;
  now?: Date;
  db?: PrismaClient;
  log?: Logger;
}): Promise<CompactionResult> {
  const db = options.db ?? defaultPrisma;
  const log = options.log ?? rootLog;
  const now = options.now ?? new Date();
  const result: CompactionResult = { deleted: { audit: 0, feed: 0 }, batches: 0, compactedThrough: 0n };
  const { _max } = await db.changeLog.aggregate({ _max: { id: true } });
  const newest = _max.id;
  if (newest === null) return result;
  let horizon = await getCompactionHorizon({ db });
  result.compactedThrough = horizon;

  const rules = [
    { name: "audit" as const, cutoff: new Date(now.getTime() - options.policy.auditRetentionDays * DAY_MS) },
    { name: "feed" as const, cutoff: new Date(now.getTime() - options.policy.feedRetentionDays * DAY_MS) },
  ];
  for (const rule of rules) {
    const statusOnly = rule.name === "feed" ? Prisma.sql`AND c.action = 'STATUS'` : Prisma.empty;
    // Keyset over the createdAt index: each batch starts where the last ended, so rows kept (an
    // object's newest) are passed over once per run, not once per batch.
    let after: { createdAt: Date; id: bigint } | null = null;
    for (;;) {
      const resume: Prisma.Sql = after
        ? Prisma.sql`AND (c.createdAt > ${after.createdAt} OR (c.createdAt = ${after.createdAt} AND c.id > ${after.id}))`
        : Prisma.empty;
      const batch: { id: bigint; createdAt: Date }[] = await db.$queryRaw`
        SELECT c.id, c.createdAt FROM ChangeLog c
        WHERE c.createdAt < ${rule.cutoff} AND c.id < ${newest} ${statusOnly} ${resume}
          AND (c.action = 'DELETED' OR EXISTS (
            SELECT 1 FROM ChangeLog n WHERE n.kind = c.kind AND n.objectId = c.objectId AND n.id > c.id))
        ORDER BY c.createdAt ASC, c.id ASC
        LIMIT ${options.policy.batchSize}`;
      if (batch.length === 0) break;
      if (after === null) {
        // Recorded before anything goes, covering every row this rule may delete: a crash after
        // it only makes a few clients start over.
        const [upper] = await db.$queryRaw<{ id: bigint | null }[]>`
          SELECT MAX(id) AS id FROM ChangeLog WHERE createdAt < ${rule.cutoff}`;
        const through = upper?.id === null || upper?.id === undefined ? 0n : BigInt(upper.id);
        if (through > horizon) {
          horizon = through;
          await db.$transaction((tx) =>
            appendChange(tx, {
              kind: COMPACTION_KIND,
              objectId: COMPACTION_OBJECT_ID,
              accountId: null,
              action: "UPDATED",
              data: {
                compactedThrough: horizon.toString(),
                rule: rule.name,
                cutoff: rule.cutoff.toISOString(),
              },
              summary: `Change log compacted: ${rule.name === "feed" ? "status reports" : "rows"} older than ${rule.cutoff.toISOString()} removed (through id ${horizon})`,
            }),
          );
        }
      }
      const ids = batch.map((r) => BigInt(r.id));
      const { count } = await db.changeLog.deleteMany({ where: { id: { in: ids } } });
      result.deleted[rule.name] += count;
      result.batches += 1;
      const last = batch[batch.length - 1] as { id: bigint; createdAt: Date };
      after = { createdAt: last.createdAt, id: BigInt(last.id) };
      log.debug("change log batch deleted", {
        event: "change_log.retention_batch",
        rule: rule.name,
        count,
        throughId: after.id,
      });
      if (batch.length < options.policy.batchSize) break;
    }
  }
  result.compactedThrough = horizon;
  return result;
}
