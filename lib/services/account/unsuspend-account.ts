import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { appendAccountUpdate, readChildAccountView } from "@/lib/services/account/child-account-update";
import type { ChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";

/** Lifts a suspension. Only the account's provider (a role above it) may. */
export async function unsuspendAccount(options: {
  actor: Actor;
  accountId: string;
}): Promise<ChildAccountView> {
  const { actor } = options;
  const { account } = await authorizeProvider({
    actor,
    accountId: options.accountId,
    permission: canManageChildAccounts,
    action: "unsuspend this account",
  });

  const view = await prisma.$transaction(async (tx) => {
    const marked = await tx.account.updateMany({
      where: { id: account.id, status: "SUSPENDED", terminationRequestedAt: null },
      data: { status: "ACTIVE", suspendedAt: null, suspendedReason: null },
    });
    if (marked.count === 0) {
      const now = await tx.account.findUnique({ where: { id: account.id } });
      if (now?.terminationRequestedAt) throw new AppError("CONFLICT", `${account.name} is being terminated.`);
      throw new AppError("CONFLICT", `${account.name} is not suspended.`);
    }
    await appendAccountUpdate(tx, {
      actor,
      accountId: account.id,
      data: { status: "ACTIVE" },
      summary: `Unsuspended ${account.name}`,
    });
    return readChildAccountView(tx, account.id);
  });
  log.info("account unsuspended", {
    event: "account.unsuspended",
    accountId: account.id,
    userId: actor.userId,
  });
  return view;
}
