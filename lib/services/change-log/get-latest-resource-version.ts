import { prisma } from "@/lib/db";

/**
 * The newest resourceVersion of the whole change log (0 when it is empty): where a live stream
 * without a cursor starts. One indexed MAX(id) instead of paging through the actor's changes.
 * Not scoped: a number alone names no tenant and no object, and any later change the actor may
 * see gets a higher id whatever account it belongs to.
 */
export async function getLatestResourceVersion(_options: Record<string, never> = {}): Promise<bigint> {
  const { _max } = await prisma.changeLog.aggregate({ _max: { id: true } });
  return _max.id ?? 0n;
}
