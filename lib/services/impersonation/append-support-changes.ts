import type { ChangeAction, Prisma } from "@/lib/generated/prisma/client";
import {
  describeSupportChange,
  type SupportChangeData,
} from "@/lib/services/audit-log/describe-support-change";
import { appendChange } from "@/lib/services/change-log/append-change";

/**
 * One change-log row per account the support session concerns (the accounts its target belongs
 * to), so that each account's audit log, and its provider's, shows that support signed in and when
 * it stopped. The operator is the actor; the rows carry the session.
 */
export async function appendSupportChanges(
  tx: Prisma.TransactionClient,
  options: {
    impersonation: { id: string; operatorUserId: string };
    accountIds: readonly string[];
    action: ChangeAction;
    data: SupportChangeData;
    ip: string | null;
  },
): Promise<void> {
  for (const accountId of [...new Set(options.accountIds)]) {
    await appendChange(tx, {
      kind: "Impersonation",
      objectId: options.impersonation.id,
      accountId,
      action: options.action,
      actorUserId: options.impersonation.operatorUserId,
      actorIp: options.ip,
      impersonationId: options.impersonation.id,
      data: options.data,
      summary: describeSupportChange(options.data, null),
    });
  }
}
