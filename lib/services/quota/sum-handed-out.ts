import type { Prisma } from "@/lib/generated/prisma/client";
import { pickLimits, sumLimits } from "@/lib/quota/limits";
import type { Limits } from "@/lib/validation/plan";

/**
 * What a reseller or agency has handed out: the limits of every plan assigned below it, at any
 * depth, not counting accounts being terminated. The one definition the allotment checks, the
 * allotment change and the allotment usage view share.
 */
export async function sumHandedOut(
  db: Prisma.TransactionClient,
  holder: { id: string; path: string },
): Promise<Limits> {
  const planned = await db.account.findMany({
    where: {
      path: { startsWith: holder.path },
      id: { not: holder.id },
      terminationRequestedAt: null,
      plan: { isNot: null },
    },
    select: { plan: true },
  });
  return sumLimits(planned.flatMap((a) => (a.plan ? [pickLimits(a.plan)] : [])));
}
