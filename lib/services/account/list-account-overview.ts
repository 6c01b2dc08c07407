import { canViewChildAccounts } from "@/lib/authz/permissions";
import { accountIdsOnPath, authorizeAccountAccess, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { pickLimits, type Usage } from "@/lib/quota/limits";
import { toChildAccountView } from "@/lib/services/account/child-account-view";
import type { AccountTreeEntry } from "@/lib/services/account/list-descendant-accounts";
import type { Actor } from "@/lib/services/actor";
import { measureUsageOfAccounts } from "@/lib/services/quota/measure-usage";
import { ACCOUNT_OVERVIEW_PAGE_SIZE, accountOverviewQuerySchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";
import type { Limits } from "@/lib/validation/plan";

/** One account below, as its provider oversees it: its plan's limits against what it uses. */
export interface AccountOverviewEntry extends AccountTreeEntry {
  /** The email of the account's owner (the first, if several); null while the owner's link is unused. */
  ownerEmail: string | null;
  /** The plan's limits; null without a plan (no limits). */
  limits: Limits | null;
  usage: Usage;
}

export interface AccountOverviewPage {
  entries: AccountOverviewEntry[];
  /** Accounts matching the search (all of them below, without one). */
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  /** The search applied, if any. */
  q: string | null;
}

/**
 * The ids of every account matching `where`, in tree order (each right after its parent, siblings
 * by name). Only ids, parents and names are read, so that the order of thousands of accounts costs
 * one light query; the page's details are read for its rows alone.
 */
async function treeOrder(where: Prisma.AccountWhereInput, rootId: string): Promise<string[]> {
  const rows = await prisma.account.findMany({
    where,
    select: { id: true, parentId: true },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const byParent = new Map<string | null, string[]>();
  for (const row of rows) byParent.set(row.parentId, [...(byParent.get(row.parentId) ?? []), row.id]);
  const ordered: string[] = [];
  const visit = (parentId: string) => {
    for (const id of byParent.get(parentId) ?? []) {
      ordered.push(id);
      visit(id);
    }
  };
  visit(rootId);
  return ordered;
}

/**
 * One page of the accounts below `accountId` at any depth (a reseller's customers, an agency's
 * clients, the platform's every account), each with its owner's email, its plan's limits and what
 * it uses. Without a search in tree order; with one (`q`: part of the name, short name or owner's
 * email), the matches by name, filtered in the database. Scoped to the accounts below the given
 * one and to what the caller reaches.
 */
export async function listAccountOverview(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { q?, page? }. */
  input?: unknown;
}): Promise<AccountOverviewPage> {
  const { actor, accountId } = options;
  const root = await authorizeAccountAccess({
    actor,
    accountId,
    permission: canViewChildAccounts,
    action: "view the accounts below this one",
  });
  const { q, page: asked } = parseInput(accountOverviewQuerySchema, options.input ?? {});
  const below: Prisma.AccountWhereInput = {
    AND: [{ path: { startsWith: root.path }, id: { not: accountId } }, await reachableAccountWhere(actor)],
  };
  const pageSize = ACCOUNT_OVERVIEW_PAGE_SIZE;

  let total: number;
  let pageIds: string[];
  let page: number;
  if (q) {
    const where: Prisma.AccountWhereInput = {
      AND: [
        below,
        {
          OR: [
            { name: { contains: q } },
            { slug: { contains: q } },
            { memberships: { some: { role: "OWNER", user: { email: { contains: q } } } } },
          ],
        },
      ],
    };
    total = await prisma.account.count({ where });
    page = Math.min(asked, Math.max(1, Math.ceil(total / pageSize)));
    pageIds = (
      await prisma.account.findMany({
        where,
        select: { id: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
        skip: (page - 1) * pageSize,
        take: pageSize,
      })
    ).map((row) => row.id);
  } else {
    const ordered = await treeOrder(below, accountId);
    total = ordered.length;
    page = Math.min(asked, Math.max(1, Math.ceil(total / pageSize)));
    pageIds = ordered.slice((page - 1) * pageSize, page * pageSize);
  }

  const [rows, usage] = await Promise.all([
    prisma.account.findMany({
      where: { id: { in: pageIds } },
      include: {
        plan: true,
        parent: { select: { name: true } },
        allotment: true,
        memberships: {
          where: { role: "OWNER" },
          select: { user: { select: { email: true } } },
          orderBy: { createdAt: "asc" },
          take: 1,
        },
      },
    }),
    measureUsageOfAccounts(prisma, pageIds),
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const rootDepth = accountIdsOnPath(root.path).length;
  const entries: AccountOverviewEntry[] = [];
  for (const id of pageIds) {
    const row = byId.get(id);
    if (!row) continue; // Terminated between the two reads.
    const { parent, allotment, memberships, plan, ...account } = row;
    const used = usage.get(id);
    if (!used) continue;
    entries.push({
      ...toChildAccountView({ ...account, plan }, used.maxSites),
      depth: accountIdsOnPath(account.path).length - rootDepth,
      parentName: parent?.name ?? null,
      siteLimit: plan?.maxSites ?? null,
      allotment: allotment ? { ...pickLimits(allotment), oversellRatio: allotment.oversellRatio } : null,
      ownerEmail: memberships[0]?.user.email ?? null,
      limits: plan ? pickLimits(plan) : null,
      usage: used,
    });
  }
  return {
    entries,
    total,
    page,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    q: q ?? null,
  };
}
