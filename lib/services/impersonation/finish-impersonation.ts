import { IMPERSONATION_MINUTES } from "@/lib/authz/impersonation";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { SupportEvent } from "@/lib/services/audit-log/describe-support-change";
import { appendSupportChanges } from "./append-support-changes";

export type ImpersonationEnd = Exclude<SupportEvent, "started">;

/**
 * Ends a support session, once: records when and how (`expired` ends it at its expiry time), frees
 * the operator's session to be their own again, and tells the accounts that saw it start. The
 * caller authorizes (the operator's own session, its expiry, the end of the session it is in).
 * Returns whether it ended now (false: unknown or already ended).
 */
export async function finishImpersonation(options: {
  impersonationId: string;
  reason: ImpersonationEnd;
  ip?: string | null;
  now?: Date;
  /** The caller's transaction (a session revoked in it); else one of its own. */
  db?: Prisma.TransactionClient;
}): Promise<boolean> {
  const now = options.now ?? new Date();
  const finish = async (tx: Prisma.TransactionClient): Promise<boolean> => {
    const row = await tx.impersonation.findUnique({
      where: { id: options.impersonationId },
      select: {
        id: true,
        operatorUserId: true,
        targetUserId: true,
        reason: true,
        expiresAt: true,
        endedAt: true,
        operator: { select: { name: true } },
        target: { select: { name: true } },
      },
    });
    if (!row || row.endedAt) return false;
    const endedAt = options.reason === "expired" ? row.expiresAt : now;
    // Guarded: two requests finding it expired at once end it once.
    const { count } = await tx.impersonation.updateMany({
      where: { id: row.id, endedAt: null },
      data: { endedAt, endReason: options.reason },
    });
    if (count === 0) return false;
    await tx.userSession.updateMany({ where: { impersonationId: row.id }, data: { impersonationId: null } });
    // The accounts that were told it started, whatever the target's memberships are now.
    const started = await tx.changeLog.findMany({
      where: { kind: "Impersonation", objectId: row.id, action: "CREATED" },
      select: { accountId: true },
    });
    await appendSupportChanges(tx, {
      impersonation: row,
      accountIds: started.flatMap((c) => (c.accountId ? [c.accountId] : [])),
      action: "UPDATED",
      data: {
        event: options.reason,
        operatorName: row.operator.name,
        targetUserId: row.targetUserId,
        targetName: row.target.name,
        reason: row.reason,
        ...(options.reason === "expired" ? { minutes: IMPERSONATION_MINUTES } : {}),
      },
      ip: options.ip ?? null,
    });
    return true;
  };
  const ended = options.db ? await finish(options.db) : await prisma.$transaction(finish);
  if (ended) {
    log.info("support session ended", {
      event: "auth.impersonation_ended",
      impersonationId: options.impersonationId,
      reason: options.reason,
    });
  }
  return ended;
}
