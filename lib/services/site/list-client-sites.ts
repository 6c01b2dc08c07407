import { canViewChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccountAccess } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { type ListClientSitesInput, listClientSitesSchema } from "@/lib/validation/client-sites";
import { parseInput } from "@/lib/validation/parse-input";
import { type SiteView, siteViewInclude, toSiteView } from "@/lib/views";

export interface ClientSiteView extends SiteView {
  accountName: string;
}

export interface ClientSitesPage {
  sites: ClientSiteView[];
  total: number;
  page: number;
  pageSize: number;
}

function phaseWhere(status: ListClientSitesInput["status"]): Prisma.SiteWhereInput {
  if (!status) return {};
  // A requested deletion shows as DELETING whatever phase the reconciler last reported (toSiteView).
  if (status === "DELETING") return { OR: [{ deletionRequestedAt: { not: null } }, { phase: "DELETING" }] };
  return { phase: status, deletionRequestedAt: null };
}

function orderBy(input: ListClientSitesInput): Prisma.SiteOrderByWithRelationInput[] {
  const dir = input.dir;
  switch (input.sort) {
    case "client":
      return [{ account: { name: dir } }, { name: "asc" }, { id: "asc" }];
    case "status":
      return [{ phase: dir }, { name: "asc" }, { id: "asc" }];
    case "created":
      return [{ createdAt: dir }, { id: "asc" }];
    default:
      return [{ name: dir }, { id: "asc" }];
  }
}

/**
 * Every site of the accounts below `accountId` (an agency's clients, a reseller's customers), one
 * page at a time, filtered, searched and sorted in the database. Scoped by the account's path
 * prefix: the caller reaches the account (authorizeAccount), so they reach everything below it.
 *
 * The page is chosen on narrow rows (ids, the sort keys) and only its sites are read whole: a deep
 * page then sorts and skips ids, not thousands of full rows (conditions, settings, secrets).
 */
export async function listClientSites(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { status?, q?, sort?, dir?, page?, pageSize? }. */
  input?: unknown;
}): Promise<ClientSitesPage> {
  const { actor, accountId } = options;
  const root = await authorizeAccountAccess({
    actor,
    accountId,
    permission: canViewChildAccounts,
    action: "view the sites of the accounts below this one",
  });
  const input = parseInput(listClientSitesSchema, options.input ?? {});
  const where: Prisma.SiteWhereInput = {
    AND: [
      { account: { path: { startsWith: root.path }, id: { not: accountId } } },
      phaseWhere(input.status),
      input.q
        ? {
            OR: [
              { name: { contains: input.q } },
              { account: { name: { contains: input.q } } },
              { domains: { some: { hostname: { contains: input.q } } } },
            ],
          }
        : {},
    ],
  };
  // Two reads, not one transaction: a page and a total a moment apart are what any refresh shows,
  // and under load a transaction would wait for a pooled connection of its own.
  const [total, page] = await Promise.all([
    prisma.site.count({ where }),
    prisma.site.findMany({
      where,
      select: { id: true },
      orderBy: orderBy(input),
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    }),
  ]);
  const ids = page.map((row) => row.id);
  const found = await prisma.site.findMany({
    where: { id: { in: ids }, account: { path: { startsWith: root.path } } },
    include: { ...siteViewInclude, account: { select: { slug: true, name: true } } },
  });
  const byId = new Map(found.map((row) => [row.id, row]));
  // A site deleted between the two reads drops out of the page.
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  return {
    sites: rows.map((row) => ({ ...toSiteView(row), accountName: row.account.name })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
