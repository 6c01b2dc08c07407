import { canViewChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import {
  childAccountWithSiteCountInclude,
  toCountedChildAccountView,
} from "@/lib/services/account/child-account-update";
import type { ChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";

/** The accounts directly below `parentId`, by name, with their plan, state and number of sites. */
export async function listChildAccounts(options: {
  actor: Actor;
  parentId: string;
}): Promise<ChildAccountView[]> {
  const { actor, parentId } = options;
  await authorizeAccount({
    actor,
    accountId: parentId,
    permission: canViewChildAccounts,
    action: "view the accounts below this one",
  });
  const accounts = await prisma.account.findMany({
    where: { parentId },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    include: childAccountWithSiteCountInclude,
  });
  return accounts.map(toCountedChildAccountView);
}
