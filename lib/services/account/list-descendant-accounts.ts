import { canViewChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccount, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { pickLimits } from "@/lib/quota/limits";
import { type ChildAccountView, toChildAccountView } from "@/lib/services/account/child-account-view";
import type { Actor } from "@/lib/services/actor";
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

/**
 * Every account below `accountId` at any depth, in tree order (each account right after its
 * parent, siblings by name): the operator's view of the whole platform.
 */
export async function listDescendantAccounts(options: {
  actor: Actor;
  accountId: string;
}): Promise<AccountTreeEntry[]> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewChildAccounts,
    action: "view the accounts below this one",
  });
  const root = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  if (!root) throw new AppError("NOT_FOUND", "Account not found.");
  const rows = await prisma.account.findMany({
    where: {
      AND: [{ path: { startsWith: root.path }, id: { not: accountId } }, await reachableAccountWhere(actor)],
    },
    include: {
      plan: { select: { id: true, name: true, maxSites: true } },
      parent: { select: { name: true } },
      allotment: true,
      _count: { select: { sites: { where: { deletionRequestedAt: null } } } },
    },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const byParent = new Map<string | null, typeof rows>();
  for (const row of rows) {
    const list = byParent.get(row.parentId) ?? [];
    list.push(row);
    byParent.set(row.parentId, list);
  }
  const result: AccountTreeEntry[] = [];
  const visit = (parentId: string, depth: number) => {
    for (const { _count, parent, allotment, ...row } of byParent.get(parentId) ?? []) {
      result.push({
        ...toChildAccountView(row, _count.sites),
        depth,
        parentName: parent?.name ?? null,
        siteLimit: row.plan?.maxSites ?? null,
        allotment: allotment ? { ...pickLimits(allotment), oversellRatio: allotment.oversellRatio } : null,
      });
      visit(row.id, depth + 1);
    }
  };
  visit(accountId, 1);
  return result;
}
