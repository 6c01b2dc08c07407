import { listReachableAccounts } from "@/lib/authz/scope";
import type { Actor } from "@/lib/services/actor";
import { type AccountView, toAccountView } from "@/lib/views";

/** Every account the actor reaches (memberships and their descendants) with the effective role. */
export async function listMyAccounts(options: { actor: Actor }): Promise<AccountView[]> {
  const reachable = await listReachableAccounts(options.actor.userId);
  return reachable.map(({ account, role }) => toAccountView(account, role));
}
