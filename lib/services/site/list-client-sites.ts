import { canViewChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccount, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
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
 * page at a time, filtered, searched and sorted in the database. Scoped twice: to the accounts
 * below the given one, and to what the caller reaches.
 */
export async function listClientSites(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { status?, q?, sort?, dir?, page?, pageSize? }. */
  input?: unknown;
}): Promise<ClientSitesPage> {
  const { actor, accountId } = options;
  await authorizeAccount({
    userId: actor.userId,
    accountId,
    permission: canViewChildAccounts,
    action: "view the sites of the accounts below this one",
  });
  const input = parseInput(listClientSitesSchema, options.input ?? {});
  const root = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  if (!root) throw new AppError("NOT_FOUND", "Account not found.");
  const where: Prisma.SiteWhereInput = {
    AND: [
      { account: { path: { startsWith: root.path }, id: { not: accountId } } },
      { account: await reachableAccountWhere(actor.userId) },
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
  const [total, rows] = await prisma.$transaction([
    prisma.site.count({ where }),
    prisma.site.findMany({
      where,
      include: { ...siteViewInclude, account: { select: { slug: true, name: true } } },
      orderBy: orderBy(input),
      skip: (input.page - 1) * input.pageSize,
      take: input.pageSize,
    }),
  ]);
  return {
    sites: rows.map((row) => ({ ...toSiteView(row), accountName: row.account.name })),
    total,
    page: input.page,
    pageSize: input.pageSize,
  };
}
