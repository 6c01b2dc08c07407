import { accountIdsOnPath, accountsUnderWhere, effectiveRole, membershipRoots } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import {
  byName,
  loadReachableAccountsById,
  rootAccountIds,
} from "@/lib/services/account/membership-accounts";
import type { Actor } from "@/lib/services/actor";
import { type AccountView, toAccountView } from "@/lib/views";

export interface AccountShell {
  /** The account named by the slug, with the caller's effective role. */
  account: AccountView;
  /** The accounts above it that the caller reaches too, outermost first (breadcrumbs, the way back). */
  ancestors: AccountView[];
  /**
   * What the account switcher lists before a search, by name: the accounts the caller belongs to,
   * the current account and the reachable accounts above it.
   */
  switcher: AccountView[];
  /** Whether the caller reaches accounts the switcher does not list: it then offers a search. */
  reachesMore: boolean;
}

/**
 * What every account page's frame needs, in four indexed queries whatever the size of the tree the
 * caller reaches (the platform operator reaches every account): the caller's memberships, the
 * account by slug (reachable when a membership's path is a prefix of its path), its ancestors and
 * the caller's own accounts by primary key, and whether any other account is reachable. Null for
 * an unknown or unreachable slug (the same answer, so that a slug's existence is not revealed).
 */
export async function loadAccountShell(options: {
  actor: Actor;
  slug: string;
}): Promise<AccountShell | null> {
  const [roots, row] = await Promise.all([
    membershipRoots(prisma, options.actor),
    prisma.account.findUnique({ where: { slug: options.slug } }),
  ]);
  if (!row) return null;
  const role = effectiveRole(row.path, roots);
  if (!role) return null;
  const ancestorIds = accountIdsOnPath(row.path).slice(0, -1);
  const related = await loadReachableAccountsById(prisma, roots, [
    ...ancestorIds,
    ...rootAccountIds(roots).filter((id) => id !== row.id),
  ]);
  const byId = new Map(related.map((r) => [r.account.id, toAccountView(r.account, r.role)]));
  const account = toAccountView(row, role);
  const ancestors = ancestorIds.flatMap((id) => byId.get(id) ?? []);
  const switcher = [account, ...byId.values()].sort(byName);
  const more = await prisma.account.findFirst({
    where: { AND: [accountsUnderWhere(roots), { id: { notIn: switcher.map((a) => a.id) } }] },
    select: { id: true },
  });
  return { account, ancestors, switcher, reachesMore: more !== null };
}
