import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import {
  type ChildAccountView,
  childAccountInclude,
  toChildAccountView,
} from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";

/** Lifts a suspension. Only the account's provider (a role above it) may. */
export async function unsuspendAccount(options: {
  actor: Actor;
  accountId: string;
}): Promise<ChildAccountView> {
  const { actor } = options;
  const { account } = await authorizeProvider({
    userId: actor.userId,
    accountId: options.accountId,
    permission: canManageChildAccounts,
    action: "unsuspend this account",
  });

  const updated = await prisma.$transaction(async (tx) => {
    const marked = await tx.account.updateMany({
      where: { id: account.id, status: "SUSPENDED", terminationRequestedAt: null },
      data: { status: "ACTIVE", suspendedAt: null, suspendedReason: null },
    });
    if (marked.count === 0) {
      const now = await tx.account.findUnique({ where: { id: account.id } });
      if (now?.terminationRequestedAt) throw new AppError("CONFLICT", `${account.name} is being terminated.`);
      throw new AppError("CONFLICT", `${account.name} is not suspended.`);
    }
    await appendChange(tx, {
      kind: "Account",
      objectId: account.id,
      accountId: account.id,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { status: "ACTIVE" },
      summary: `Unsuspended ${account.name}`,
    });
    return tx.account.findUniqueOrThrow({
      where: { id: account.id },
      include: {
        ...childAccountInclude,
        _count: { select: { sites: { where: { deletionRequestedAt: null } } } },
      },
    });
  });
  log.info("account unsuspended", {
    event: "account.unsuspended",
    accountId: account.id,
    userId: actor.userId,
  });
  const { _count, ...rest } = updated;
  return toChildAccountView(rest, _count.sites);
}
