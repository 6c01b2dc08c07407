import { impersonationRefusal } from "@/lib/authz/impersonation";
import { canImpersonateUsers, canSearchPlatform } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AccountKind, AccountStatus, Role, SitePhase } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/services/actor";
import { parseInput } from "@/lib/validation/parse-input";
import { SEARCH_LIMIT_PER_KIND, searchSchema } from "@/lib/validation/search";
import { likeLiteral, prefixThenContains } from "./prefix-then-contains";

export const SEARCH_NOT_FOUND = "Search not found.";

export interface AccountHit {
  id: string;
  slug: string;
  name: string;
  kind: AccountKind;
  status: AccountStatus;
}

export interface UserHit {
  id: string;
  name: string;
  email: string;
  /** Some of the accounts the user belongs to, with their role there. */
  accounts: { slug: string; name: string; role: Role }[];
  accountCount: number;
  /** Whether the caller may sign in as this user for support, and if not, why. */
  signInAs: { allowed: boolean; reason: string | null };
}

export interface SiteHit {
  id: string;
  name: string;
  accountSlug: string;
  accountName: string;
  phase: SitePhase;
}

export interface DomainHit {
  id: string;
  hostname: string;
  siteId: string;
  siteName: string;
  accountSlug: string;
}

export interface Hits<T> {
  items: T[];
  /** More match than are shown: the query should be narrower. */
  more: boolean;
}

export interface SearchResultsView {
  query: string;
  accounts: Hits<AccountHit>;
  users: Hits<UserHit>;
  sites: Hits<SiteHit>;
  domains: Hits<DomainHit>;
}

/** How many of a user's accounts a hit names. */
const ACCOUNTS_PER_USER = 3;

/**
 * The platform operator's search: accounts by name or short name, users by name or email, sites
 * by name, domains by hostname; names starting with the query first, then those containing it,
 * at most SEARCH_LIMIT_PER_KIND of each. Matching is case-insensitive (the columns' collation).
 * Every query carries the caller's reach in its `where`, as everywhere else: the operator reaches
 * every account, and a token narrows it like any other call.
 */
export async function searchPlatform(options: {
  actor: Actor;
  /** Untrusted: { q }. */
  input: unknown;
}): Promise<SearchResultsView> {
  const { actor } = options;
  const { role } = await authorizePlatformOperator({
    actor,
    permission: canSearchPlatform,
    action: "search the platform",
    notFound: SEARCH_NOT_FOUND,
  });
  const { q } = parseInput(searchSchema, options.input);
  const reachable = await reachableAccountWhere(actor);
  const limit = SEARCH_LIMIT_PER_KIND;
  const literal = likeLiteral(q);
  const starts = { startsWith: literal };
  const has = { contains: literal };
  const notIn = (ids: string[]) => ({ id: { notIn: ids } });

  const accountSelect = {
    id: true,
    slug: true,
    name: true,
    kind: true,
    status: true,
  } satisfies Prisma.AccountSelect;
  const accounts = prefixThenContains({
    limit,
    prefix: (take) =>
      prisma.account.findMany({
        where: { AND: [reachable, { OR: [{ name: starts }, { slug: starts }] }] },
        select: accountSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
    contains: (take, exclude) =>
      prisma.account.findMany({
        where: { AND: [reachable, notIn(exclude), { OR: [{ name: has }, { slug: has }] }] },
        select: accountSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
  });

  // A user is reached through an account they belong to.
  const member = { memberships: { some: { account: reachable } } };
  const userSelect = {
    id: true,
    name: true,
    email: true,
    memberships: {
      where: { account: reachable },
      select: { role: true, account: { select: { slug: true, name: true } } },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: ACCOUNTS_PER_USER,
    },
    _count: { select: { memberships: { where: { account: reachable } } } },
  } satisfies Prisma.UserSelect;
  const users = prefixThenContains({
    limit,
    prefix: (take) =>
      prisma.user.findMany({
        where: { AND: [member, { OR: [{ name: starts }, { email: starts }] }] },
        select: userSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
    contains: (take, exclude) =>
      prisma.user.findMany({
        where: { AND: [member, notIn(exclude), { OR: [{ name: has }, { email: has }] }] },
        select: userSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
  });

  const siteSelect = {
    id: true,
    name: true,
    phase: true,
    deletionRequestedAt: true,
    account: { select: { slug: true, name: true } },
  } satisfies Prisma.SiteSelect;
  const sites = prefixThenContains({
    limit,
    prefix: (take) =>
      prisma.site.findMany({
        where: { account: reachable, name: starts },
        select: siteSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
    contains: (take, exclude) =>
      prisma.site.findMany({
        where: { account: reachable, name: has, ...notIn(exclude) },
        select: siteSelect,
        orderBy: [{ name: "asc" }, { id: "asc" }],
        take,
      }),
  });

  const domainSelect = {
    id: true,
    hostname: true,
    site: { select: { id: true, name: true, account: { select: { slug: true } } } },
  } satisfies Prisma.DomainSelect;
  const domains = prefixThenContains({
    limit,
    prefix: (take) =>
      prisma.domain.findMany({
        where: { site: { account: reachable }, hostname: starts },
        select: domainSelect,
        orderBy: [{ hostname: "asc" }, { id: "asc" }],
        take,
      }),
    contains: (take, exclude) =>
      prisma.domain.findMany({
        where: { site: { account: reachable }, hostname: has, ...notIn(exclude) },
        select: domainSelect,
        orderBy: [{ hostname: "asc" }, { id: "asc" }],
        take,
      }),
  });

  const [accountHits, userHits, siteHits, domainHits] = await Promise.all([accounts, users, sites, domains]);
  const operators = new Set(
    (
      await prisma.membership.findMany({
        where: {
          userId: { in: userHits.items.map((u) => u.id) },
          account: { kind: "PLATFORM", parentId: null },
        },
        select: { userId: true },
      })
    ).map((m) => m.userId),
  );
  // Starting a support session needs a person (no token), not already in one, strong enough.
  const callerRefusal = actor.token
    ? "An API token cannot sign in as a user."
    : canImpersonateUsers(role)
      ? null
      : `Your role (${role.toLowerCase()}) does not allow you to sign in as users.`;

  return {
    query: q,
    accounts: accountHits,
    users: {
      more: userHits.more,
      items: userHits.items.map((user) => {
        const reason =
          callerRefusal ??
          impersonationRefusal(actor.userId, {
            id: user.id,
            name: user.name,
            isOperator: operators.has(user.id),
            accountCount: user._count.memberships,
          });
        return {
          id: user.id,
          name: user.name,
          email: user.email,
          accounts: user.memberships.map((m) => ({
            slug: m.account.slug,
            name: m.account.name,
            role: m.role,
          })),
          accountCount: user._count.memberships,
          signInAs: { allowed: reason === null, reason },
        };
      }),
    },
    sites: {
      more: siteHits.more,
      items: siteHits.items.map((site) => ({
        id: site.id,
        name: site.name,
        accountSlug: site.account.slug,
        accountName: site.account.name,
        phase: site.deletionRequestedAt ? "DELETING" : site.phase,
      })),
    },
    domains: {
      more: domainHits.more,
      items: domainHits.items.map((domain) => ({
        id: domain.id,
        hostname: domain.hostname,
        siteId: domain.site.id,
        siteName: domain.site.name,
        accountSlug: domain.site.account.slug,
      })),
    },
  };
}
