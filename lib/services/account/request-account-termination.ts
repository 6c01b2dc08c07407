import { canTerminateAccount } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { appendAccountUpdate, readChildAccountView } from "@/lib/services/account/child-account-update";
import type { ChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { requestAccountTerminationSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Marks an account for termination. The reconciler is to remove its namespace and then its rows;
 * until then the account accepts no new sites, plans or members. Only its provider may; an account
 * with live accounts below it is refused (terminate those first), and the caller confirms by
 * typing the account's short name. Requesting it twice changes nothing.
 */
export async function requestAccountTermination(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { confirmSlug }. */
  input: unknown;
}): Promise<ChildAccountView> {
  const { actor } = options;
  const { account } = await authorizeProvider({
    actor,
    accountId: options.accountId,
    permission: canTerminateAccount,
    action: "terminate this account",
  });
  const { confirmSlug } = parseInput(requestAccountTerminationSchema, options.input);
  if (confirmSlug !== account.slug) {
    const message = `Type ${account.slug} to confirm.`;
    throw new AppError("INVALID_INPUT", message, { confirmSlug: message });
  }

  const view = await prisma.$transaction(async (tx) => {
    const liveChildren = await tx.account.count({
      where: { parentId: account.id, terminationRequestedAt: null },
    });
    if (liveChildren > 0) {
      throw new AppError(
        "CONFLICT",
        `${account.name} has ${liveChildren} account${liveChildren === 1 ? "" : "s"} below it; terminate ${liveChildren === 1 ? "it" : "them"} first.`,
      );
    }
    const marked = await tx.account.updateMany({
      where: { id: account.id, terminationRequestedAt: null },
      data: { terminationRequestedAt: new Date() },
    });
    if (marked.count === 1) {
      await appendAccountUpdate(tx, {
        actor,
        accountId: account.id,
        data: { terminationRequested: true },
        summary: `Requested the termination of ${account.name} (${account.slug})`,
      });
    }
    return readChildAccountView(tx, account.id);
  });
  log.info("account termination requested", {
    event: "account.termination_requested",
    accountId: account.id,
    userId: actor.userId,
  });
  return view;
}
