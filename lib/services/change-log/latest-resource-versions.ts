import { prisma } from "@/lib/db";

export interface VersionedRef {
  /** The change-log kind whose rows version the object ("Site" for a site and for its domains). */
  kind: string;
  objectId: string;
}

export function versionKey(ref: VersionedRef): string {
  return `${ref.kind}/${ref.objectId}`;
}

/**
 * The newest change-log id of each object: its resourceVersion. Keyed by versionKey; an object
 * with no change-log row (rows made before the change log, or by the seed) is missing from the
 * map. Not scoped: the caller has already authorized the objects; the numbers reveal nothing more.
 * One indexed GROUP BY per kind on (kind, objectId).
 */
export async function latestResourceVersions(options: {
  refs: readonly VersionedRef[];
}): Promise<Map<string, bigint>> {
  const byKind = new Map<string, Set<string>>();
  for (const ref of options.refs) {
    const ids = byKind.get(ref.kind) ?? new Set<string>();
    byKind.set(ref.kind, ids);
    ids.add(ref.objectId);
  }
  const out = new Map<string, bigint>();
  for (const [kind, ids] of byKind) {
    const all = [...ids];
    // Bounded IN lists: a list page is at most a few hundred objects, the watch cache batches.
    for (let i = 0; i < all.length; i += 1000) {
      const rows = await prisma.changeLog.groupBy({
        by: ["objectId"],
        where: { kind, objectId: { in: all.slice(i, i + 1000) } },
        _max: { id: true },
      });
      for (const row of rows) {
        if (row._max.id !== null) out.set(versionKey({ kind, objectId: row.objectId }), row._max.id);
      }
    }
  }
  return out;
}
