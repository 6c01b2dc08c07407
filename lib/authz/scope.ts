/**
 * Who reaches what. A role held on an account applies to the account and all its descendants;
 * Account.path ("/<rootId>/.../<selfId>/") makes "an account and everything below it" one
 * indexed prefix match.
 *
 * Objects the caller cannot reach answer NOT_FOUND (their existence is not revealed); reachable
 * objects for which the caller's role is too weak answer FORBIDDEN.
 *
 * Every function takes the caller as an AuthzSubject (a service Actor fits): a caller with an API
 * token (`actor.token`) has their memberships narrowed to what the token grants (narrowToToken),
 * so nothing here or in the services can forget the token's bounds. A Kubernetes user calling
 * through the cluster (`actor.cluster`) acts under the roots its access review allowed instead.
 */
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type Account, Prisma, type PrismaClient, type Role } from "@/lib/generated/prisma/client";
import type { Actor, TokenGrant } from "@/lib/services/actor";
import { type Permission, roleStrength, strongestRole } from "./permissions";

export type Db = PrismaClient | Prisma.TransactionClient;

/**
 * The caller, as authorization sees them: the user, the API token they called with, if any,
 * whether an operator acts as them for support (their memberships count, never the operator's),
 * and, for a Kubernetes user through a cluster's aggregation layer, what the cluster's RBAC allows.
 */
export type AuthzSubject = Pick<Actor, "userId" | "token" | "impersonation" | "cluster">;

export interface RootMembership {
  role: Role;
  path: string;
}

function weaker(a: Role, b: Role): Role {
  return roleStrength(a) <= roleStrength(b) ? a : b;
}

/**
 * The memberships a caller with `token` acts under: each of the user's memberships that covers the
 * token's account becomes one on the token's account, one below it stays where it is, and both are
 * capped at the token's role; memberships elsewhere drop out. So the caller's role on any account
 * is min(token role, the user's role there) inside the token's subtree, and nothing outside it.
 */
export function narrowToToken(
  roots: readonly RootMembership[],
  token: Pick<TokenGrant, "accountPath" | "role"> | null | undefined,
): RootMembership[] {
  if (!token) return [...roots];
  const narrowed: RootMembership[] = [];
  for (const root of roots) {
    const role = weaker(root.role, token.role);
    if (token.accountPath.startsWith(root.path)) narrowed.push({ role, path: token.accountPath });
    else if (root.path.startsWith(token.accountPath)) narrowed.push({ role, path: root.path });
  }
  return narrowed;
}

/**
 * The caller's membership roots: the paths whose subtrees they reach, each with the role held there
 * (narrowed to their token). One indexed statement on the user's memberships joined to their
 * accounts' paths, whatever the tree's size (Prisma would read the relation with a second one; this
 * runs in every authorization). `accountIds`: only the memberships on these accounts.
 */
export async function membershipRoots(
  db: Db,
  subject: AuthzSubject,
  options: { accountIds?: readonly string[] } = {},
): Promise<RootMembership[]> {
  // A Kubernetes user through the cluster holds no memberships: what the cluster's RBAC allowed
  // for this request stands in for them (lib/apiserver/cluster-actor.ts).
  if (subject.cluster) return [...subject.cluster.roots];
  const { accountIds } = options;
  if (accountIds?.length === 0) return [];
  const only = accountIds ? Prisma.sql`AND m.accountId IN (${Prisma.join(accountIds)})` : Prisma.empty;
  const rows = await db.$queryRaw<RootMembership[]>`
    SELECT m.role AS role, a.path AS path
    FROM Membership m JOIN Account a ON a.id = m.accountId
    WHERE m.userId = ${subject.userId} ${only}`;
  return narrowToToken(rows, subject.token);
}

/** Prisma `where` for the accounts below `roots` (each root's path prefix); nothing for no roots. */
export function accountsUnderWhere(roots: readonly RootMembership[]): Prisma.AccountWhereInput {
  if (roots.length === 0) return { id: { in: [] } };
  return { OR: roots.map((r) => ({ path: { startsWith: r.path } })) };
}

/** Prisma `where` for the accounts the caller reaches (those with a membership, and their descendants). */
export async function reachableAccountWhere(
  subject: AuthzSubject,
  db: Db = prisma,
): Promise<Prisma.AccountWhereInput> {
  return accountsUnderWhere(await membershipRoots(db, subject));
}

/** The caller's role on each reachable account: the strongest among memberships on it or an ancestor. */
export function effectiveRole(accountPath: string, roots: readonly RootMembership[]): Role | null {
  return strongestRole(roots.filter((r) => accountPath.startsWith(r.path)).map((r) => r.role));
}

/**
 * Every account the caller reaches, with their role. Unbounded (the platform operator reaches every
 * account): for the change feed's filtering only; pages and lists use a prefix condition
 * (reachableAccountWhere) with a page size instead.
 */
export async function listReachableAccounts(
  subject: AuthzSubject,
  db: Db = prisma,
): Promise<{ account: Account; role: Role }[]> {
  const roots = await membershipRoots(db, subject);
  if (roots.length === 0) return [];
  const accounts = await db.account.findMany({
    where: { OR: roots.map((r) => ({ path: { startsWith: r.path } })) },
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const result: { account: Account; role: Role }[] = [];
  for (const account of accounts) {
    const role = effectiveRole(account.path, roots);
    if (role) result.push({ account, role });
  }
  return result;
}

/** Ancestor ids (root first) and the account's own id, from its materialized path. */
export function accountIdsOnPath(path: string): string[] {
  return path.split("/").filter((part) => part.length > 0);
}

/** The columns MEMBERSHIPS_ON_PATH selects: one membership's role and its account's path. */
export interface MembershipOnPath {
  memberRole: Role | null;
  rootPath: string | null;
}

/**
 * SQL for a statement that reads an account as `a` and a user's id as `userId`: their memberships
 * on that account or an ancestor (an ancestor's path is a prefix of its descendants' paths), one
 * row each (one with nulls for none), as MembershipOnPath columns. Every role check of one account
 * reads this join: getAccountAccess, and API token authentication with the token.
 */
export function membershipsOnPath(userId: Prisma.Sql | string): { columns: Prisma.Sql; join: Prisma.Sql } {
  return {
    columns: Prisma.sql`m.role AS memberRole, ma.path AS rootPath`,
    join: Prisma.sql`LEFT JOIN (Membership m JOIN Account ma ON ma.id = m.accountId)
      ON m.userId = ${userId} AND LEFT(a.path, CHAR_LENGTH(ma.path)) = ma.path`,
  };
}

/** The memberships a membershipsOnPath join found (rows with nulls: none). */
export function rootsOnPath(rows: readonly MembershipOnPath[]): RootMembership[] {
  return rows.flatMap((row) =>
    row.memberRole && row.rootPath ? [{ role: row.memberRole, path: row.rootPath }] : [],
  );
}

/**
 * The account's path and slug, and the strongest role the caller holds on it or an ancestor
 * (within their token's grant; null: none), or null for an unknown account. One statement: the
 * account with the caller's memberships on its path (membershipsOnPath).
 */
export async function getAccountAccess(options: {
  actor: AuthzSubject;
  accountId: string;
  db?: Db;
}): Promise<{ path: string; slug: string; role: Role | null } | null> {
  const db = options.db ?? prisma;
  const { actor, accountId } = options;
  if (actor.cluster) {
    const account = await db.account.findUnique({
      where: { id: accountId },
      select: { path: true, slug: true },
    });
    return account && { ...account, role: effectiveRole(account.path, actor.cluster.roots) };
  }
  const memberships = membershipsOnPath(actor.userId);
  const rows = await db.$queryRaw<({ path: string; slug: string } & MembershipOnPath)[]>`
    SELECT a.path AS path, a.slug AS slug, ${memberships.columns}
    FROM Account a ${memberships.join}
    WHERE a.id = ${accountId}`;
  const account = rows[0];
  if (!account) return null;
  const roots = narrowToToken(rootsOnPath(rows), actor.token);
  return { path: account.path, slug: account.slug, role: effectiveRole(account.path, roots) };
}

/**
 * The strongest role the caller holds on `accountId` or an ancestor (within their token's grant),
 * or null (also for unknown accounts).
 */
export async function getAccountRole(options: {
  actor: AuthzSubject;
  accountId: string;
  db?: Db;
}): Promise<Role | null> {
  return (await getAccountAccess(options))?.role ?? null;
}

/**
 * The caller's roles held strictly above `accountPath` (on its ancestors, within their token's
 * grant): what a provider acts with.
 */
export async function getRoleAbove(options: {
  actor: AuthzSubject;
  accountPath: string;
  db?: Db;
}): Promise<Role | null> {
  const db = options.db ?? prisma;
  const ancestorIds = accountIdsOnPath(options.accountPath).slice(0, -1);
  if (ancestorIds.length === 0) return null;
  const roots = await membershipRoots(db, options.actor, { accountIds: ancestorIds });
  return strongestRole(
    roots
      .filter((r) => r.path !== options.accountPath && options.accountPath.startsWith(r.path))
      .map((r) => r.role),
  );
}

export interface AuthorizeAccountOptions {
  actor: AuthzSubject;
  accountId: string;
  permission: Permission;
  /** Used in the FORBIDDEN message: "Your role does not allow you to <action>." */
  action: string;
  db?: Db;
}

/**
 * The caller's role on the account, and the account's path (what a list below it is scoped by) and
 * slug, or NOT_FOUND (unreachable) / FORBIDDEN (role too weak).
 */
export async function authorizeAccountAccess(
  options: AuthorizeAccountOptions,
): Promise<{ role: Role; path: string; slug: string }> {
  const access = await getAccountAccess(options);
  const role = access?.role;
  if (!access || !role) throw new AppError("NOT_FOUND", "Account not found.");
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { role, path: access.path, slug: access.slug };
}

/** The caller's role on the account, or NOT_FOUND (unreachable) / FORBIDDEN (role too weak). */
export async function authorizeAccount(options: AuthorizeAccountOptions): Promise<Role> {
  return (await authorizeAccountAccess(options)).role;
}

export interface AuthorizeSiteOptions {
  actor: AuthzSubject;
  siteId: string;
  permission: Permission;
  action: string;
  db?: Db;
}

/**
 * The site's id and account with the caller's role, looked up with the reachable accounts in the
 * `where` clause: a foreign site id is NOT_FOUND; a reachable one with a weak role is FORBIDDEN.
 */
export async function authorizeSite(
  options: AuthorizeSiteOptions,
): Promise<{ siteId: string; accountId: string; role: Role }> {
  const db = options.db ?? prisma;
  const site = await db.site.findFirst({
    where: { id: options.siteId, account: await reachableAccountWhere(options.actor, db) },
    select: { id: true, accountId: true },
  });
  if (!site) throw new AppError("NOT_FOUND", "Site not found.");
  const role = await getAccountRole({ actor: options.actor, accountId: site.accountId, db });
  if (!role) throw new AppError("NOT_FOUND", "Site not found.");
  if (!options.permission(role)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${role.toLowerCase()}) does not allow you to ${options.action}.`,
    );
  }
  return { siteId: site.id, accountId: site.accountId, role };
}
