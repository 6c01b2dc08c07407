import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { appendAccountUpdate, readChildAccountView } from "@/lib/services/account/child-account-update";
import type { ChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { suspendAccountSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Suspends an account with a reason, shown to its members. Only its provider (a role above it)
 * may; the account keeps its data, and nothing new can be created in it until unsuspended.
 */
export async function suspendAccount(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { reason }. */
  input: unknown;
}): Promise<ChildAccountView> {
  const { actor } = options;
  const { account } = await authorizeProvider({
    actor,
    accountId: options.accountId,
    permission: canManageChildAccounts,
    action: "suspend this account",
  });
  const { reason } = parseInput(suspendAccountSchema, options.input);

  const view = await prisma.$transaction(async (tx) => {
    // The status guard makes a concurrent second suspension fail instead of overwriting the reason.
    const marked = await tx.account.updateMany({
      where: { id: account.id, status: "ACTIVE", terminationRequestedAt: null },
      data: { status: "SUSPENDED", suspendedAt: new Date(), suspendedReason: reason },
    });
    if (marked.count === 0) {
      const now = await tx.account.findUnique({ where: { id: account.id } });
      if (now?.terminationRequestedAt) throw new AppError("CONFLICT", `${account.name} is being terminated.`);
      throw new AppError("CONFLICT", `${account.name} is already suspended.`);
    }
    await appendAccountUpdate(tx, {
      actor,
      accountId: account.id,
      data: { status: "SUSPENDED", reason },
      summary: `Suspended ${account.name}: ${reason}`,
    });
    return readChildAccountView(tx, account.id);
  });
  log.info("account suspended", { event: "account.suspended", accountId: account.id, userId: actor.userId });
  return view;
}
