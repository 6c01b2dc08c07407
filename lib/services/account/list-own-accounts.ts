import { membershipRoots } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import {
  byName,
  isBelowARoot,
  loadReachableAccountsById,
  rootAccountIds,
} from "@/lib/services/account/membership-accounts";
import type { Actor } from "@/lib/services/actor";
import { type AccountView, toAccountView } from "@/lib/views";

/**
 * The accounts at the top of what the actor reaches: those they belong to whose parent they do not
 * also reach, by name. Two queries, as many rows as the user has memberships, whatever the size of
 * the tree below them: what the home page chooses from.
 */
export async function listOwnAccounts(options: { actor: Actor }): Promise<AccountView[]> {
  const roots = await membershipRoots(prisma, options.actor);
  const reachable = await loadReachableAccountsById(prisma, roots, rootAccountIds(roots));
  return reachable
    .filter(({ account }) => !isBelowARoot(account.path, roots))
    .map(({ account, role }) => toAccountView(account, role))
    .sort(byName);
}
