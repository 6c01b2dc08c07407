import { canViewChildAccounts } from "@/lib/authz/permissions";
import { accountIdsOnPath, authorizeAccountAccess, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { pickLimits } from "@/lib/quota/limits";
import { type ChildAccountView, toChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
import { encodeDescendantAccountsCursor, listDescendantAccountsSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";
import type { Limits } from "@/lib/validation/plan";

export interface AccountTreeEntry extends ChildAccountView {
  /** 1 for the accounts directly below the root, 2 below those, ... */
  depth: number;
  parentName: string | null;
  /** The plan's site limit; null without a plan. */
  siteLimit: number | null;
  /** What a reseller or agency may hand out (set by its provider); null for customers and when unset. */
  allotment: (Limits & { oversellRatio: number }) | null;
}

export interface DescendantAccountsPage {
  accounts: AccountTreeEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * One page of the accounts below `accountId` at any depth, in tree order: each account right
 * after its parent, its whole subtree before its next sibling (siblings in the order they were
 * created). The order is the materialized path's, so a page is one range read on the path index
 * however large the platform is, and a page continues where the last one ended even while
 * accounts are added or removed elsewhere in the tree.
 */
export async function listDescendantAccounts(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { limit?, cursor? }. */
  input?: unknown;
}): Promise<DescendantAccountsPage> {
  const { actor, accountId } = options;
  const { limit, cursor } = parseInput(listDescendantAccountsSchema, options.input ?? {});
  const root = await authorizeAccountAccess({
    actor,
    accountId,
    permission: canViewChildAccounts,
    action: "view the accounts below this one",
  });
  const rows = await prisma.account.findMany({
    where: {
      AND: [
        { path: { startsWith: root.path }, id: { not: accountId } },
        cursor ? { path: { gt: cursor } } : {},
        await reachableAccountWhere(actor),
      ],
    },
    include: {
      plan: { select: { id: true, name: true, maxSites: true } },
      parent: { select: { name: true } },
      allotment: true,
      _count: { select: { sites: { where: { deletionRequestedAt: null } } } },
    },
    orderBy: { path: "asc" },
    take: limit + 1,
  });
  const rootDepth = accountIdsOnPath(root.path).length;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    accounts: page.map(({ _count, parent, allotment, ...row }) => ({
      ...toChildAccountView(row, _count.sites),
      depth: accountIdsOnPath(row.path).length - rootDepth,
      parentName: parent?.name ?? null,
      siteLimit: row.plan?.maxSites ?? null,
      allotment: allotment ? { ...pickLimits(allotment), oversellRatio: allotment.oversellRatio } : null,
    })),
    nextCursor: rows.length > limit && last ? encodeDescendantAccountsCursor(last.path) : null,
  };
}
