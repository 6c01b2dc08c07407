import type { Prisma } from "@/lib/generated/prisma/client";

/**
 * Locks the account rows until the transaction ends, so that two requests checking a quota on the
 * same account run one after the other instead of both seeing room for one more. Called first in
 * the transaction, so that the snapshot later reads see is taken after the lock is granted.
 */
export async function lockAccounts(
  tx: Prisma.TransactionClient,
  accountIds: readonly string[],
): Promise<void> {
  if (accountIds.length === 0) return;
  const sorted = [...new Set(accountIds)].sort(); // One order everywhere: no deadlocks between lockers.
  for (const id of sorted) {
    await tx.$queryRaw`SELECT id FROM \`Account\` WHERE id = ${id} FOR UPDATE`;
  }
}
