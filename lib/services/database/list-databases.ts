import { canViewDatabases } from "@/lib/authz/permissions";
import { authorizeAccount, reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { measureUsage } from "@/lib/services/quota/measure-usage";
import { accountDatabasePrefix } from "@/lib/validation/database";
import {
  type DatabaseServerOption,
  type DatabaseUserView,
  type DatabaseView,
  databaseUserViewInclude,
  databaseViewInclude,
  toDatabaseUserView,
  toDatabaseView,
} from "./database-view";

export interface AccountDatabases {
  accountId: string;
  /** What every name in this account starts with on a server, e.g. "acme_". */
  prefix: string;
  databases: DatabaseView[];
  users: DatabaseUserView[];
  /** Where a new database or user can go (enabled servers), and where existing ones are. */
  servers: DatabaseServerOption[];
  /** The account's sites (not being deleted), to give a database to. */
  sites: Array<{ id: string; name: string }>;
  /** "2 of 5 databases": `used` counts WordPress sites' own databases too; `limit` null: no plan limit. */
  usage: { used: number; limit: number | null; siteDatabases: number };
}

/** The account's databases and database users (those being deleted included), by name. */
export async function listDatabases(options: { actor: Actor; accountId: string }): Promise<AccountDatabases> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewDatabases,
    action: "view databases",
  });
  const reachable = await reachableAccountWhere(actor);
  const [account, databases, users, servers, sites, usage] = await Promise.all([
    prisma.account.findFirstOrThrow({ where: { id: accountId, ...reachable }, include: { plan: true } }),
    prisma.database.findMany({
      where: { accountId, account: reachable },
      include: databaseViewInclude,
      orderBy: [{ name: "asc" }],
    }),
    prisma.databaseUser.findMany({
      where: { accountId, account: reachable },
      include: databaseUserViewInclude,
      orderBy: [{ name: "asc" }],
    }),
    prisma.databaseServer.findMany({
      select: { id: true, name: true, engine: true, enabled: true },
      orderBy: [{ name: "asc" }],
    }),
    prisma.site.findMany({
      where: { accountId, account: reachable, deletionRequestedAt: null },
      select: { id: true, name: true },
      orderBy: [{ name: "asc" }],
    }),
    prisma.$transaction((tx) => measureUsage(tx, accountId)),
  ]);
  const liveDatabases = databases.filter((d) => d.deletionRequestedAt === null).length;
  return {
    accountId,
    prefix: accountDatabasePrefix(account.slug),
    databases: databases.map(toDatabaseView),
    users: users.map(toDatabaseUserView),
    servers,
    sites,
    usage: {
      used: usage.maxDatabases,
      limit: account.plan ? account.plan.maxDatabases : null,
      siteDatabases: usage.maxDatabases - liveDatabases,
    },
  };
}
