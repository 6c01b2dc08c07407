import type { Prisma } from "@/lib/generated/prisma/client";
import {
  type AccountForChildView,
  type ChildAccountView,
  childAccountInclude,
  toChildAccountView,
} from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";

/** childAccountInclude plus the count of sites not being deleted, which the view shows. */
export const childAccountWithSiteCountInclude = {
  ...childAccountInclude,
  _count: { select: { sites: { where: { deletionRequestedAt: null } } } },
} as const;

/** An account read with childAccountWithSiteCountInclude, as its provider sees it. */
export function toCountedChildAccountView({
  _count,
  ...account
}: AccountForChildView & { _count: { sites: number } }): ChildAccountView {
  return toChildAccountView(account, _count.sites);
}

/** Re-reads an account inside the transaction that changed it, so the view shows the change. */
export async function readChildAccountView(
  tx: Prisma.TransactionClient,
  accountId: string,
): Promise<ChildAccountView> {
  const account = await tx.account.findUniqueOrThrow({
    where: { id: accountId },
    include: childAccountWithSiteCountInclude,
  });
  return toCountedChildAccountView(account);
}

/** The UPDATED change-log row of an account its provider changed (suspension, termination, allotment). */
export async function appendAccountUpdate(
  tx: Prisma.TransactionClient,
  options: {
    actor: Actor;
    accountId: string;
    data: Prisma.InputJsonValue;
    summary: string;
  },
): Promise<void> {
  const { actor, accountId } = options;
  await appendChange(tx, {
    kind: "Account",
    objectId: accountId,
    accountId,
    action: "UPDATED",
    actorUserId: actor.userId,
    actorIp: actor.ip ?? null,
    data: options.data,
    summary: options.summary,
  });
}
