import { accountsUnderWhere, effectiveRole, membershipRoots } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { encodeMyAccountsCursor, listMyAccountsSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";
import { type AccountView, toAccountView } from "@/lib/views";

/** `q` as a literal inside Prisma's `contains` (a LIKE pattern on MariaDB): `%` and `_` match themselves. */
function likeLiteral(q: string): string {
  return q.replace(/[\\%_]/g, "\\$&");
}

export interface MyAccountsPage {
  /** By name, then id, each with the caller's effective role. */
  accounts: AccountView[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The accounts the actor reaches (memberships and their descendants) with the effective role, one
 * page at a time, optionally searched by name or slug. Scoped by the membership roots' path
 * prefixes inside the query: two queries whatever the number of accounts the caller reaches.
 */
export async function listMyAccounts(options: {
  actor: Actor;
  /** Untrusted: { q?, limit?, cursor? }. */
  input?: unknown;
}): Promise<MyAccountsPage> {
  const { q, limit, cursor } = parseInput(listMyAccountsSchema, options.input ?? {});
  const roots = await membershipRoots(prisma, options.actor);
  if (roots.length === 0) return { accounts: [], nextCursor: null };
  const where: Prisma.AccountWhereInput = {
    AND: [
      accountsUnderWhere(roots),
      q ? { OR: [{ name: { contains: likeLiteral(q) } }, { slug: { contains: likeLiteral(q) } }] } : {},
      cursor ? { OR: [{ name: { gt: cursor.n } }, { name: cursor.n, id: { gt: cursor.i } }] } : {},
    ],
  };
  const rows = await prisma.account.findMany({
    where,
    orderBy: [{ name: "asc" }, { id: "asc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    accounts: page.flatMap((row) => {
      const role = effectiveRole(row.path, roots);
      return role ? [toAccountView(row, role)] : [];
    }),
    nextCursor: rows.length > limit && last ? encodeMyAccountsCursor({ n: last.name, i: last.id }) : null,
  };
}
