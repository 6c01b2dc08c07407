import { accountIdsOnPath, type Db, effectiveRole, type RootMembership } from "@/lib/authz/scope";
import type { Account, Role } from "@/lib/generated/prisma/client";

/** Whether `path` lies strictly below one of the roots: its parent is reachable too. */
export function isBelowARoot(path: string, roots: readonly RootMembership[]): boolean {
  return roots.some((r) => r.path !== path && path.startsWith(r.path));
}

/** Accounts ordered as every account list is: by name, then id. */
export function byName(a: Pick<Account, "name" | "id">, b: Pick<Account, "name" | "id">): number {
  return a.name.localeCompare(b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The accounts with these ids that the caller reaches, with their role: one query by primary key
 * (for a bounded list of ids: the caller's memberships, an account's ancestors).
 */
export async function loadReachableAccountsById(
  db: Db,
  roots: readonly RootMembership[],
  ids: readonly string[],
): Promise<{ account: Account; role: Role }[]> {
  if (ids.length === 0 || roots.length === 0) return [];
  const rows = await db.account.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return rows.flatMap((account) => {
    const role = effectiveRole(account.path, roots);
    return role ? [{ account, role }] : [];
  });
}

/** The ids of the accounts the caller's membership roots are on (narrowed to their token). */
export function rootAccountIds(roots: readonly RootMembership[]): string[] {
  return roots.flatMap((r) => accountIdsOnPath(r.path).slice(-1));
}
