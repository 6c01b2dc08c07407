import { canViewDatabaseServers } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { type DatabaseServerView, databaseServerViewInclude, toDatabaseServerView } from "./database-view";

export const DATABASE_SERVERS_NOT_FOUND = "Database servers not found.";

/** Every registered database server, by name: the platform operator's page. */
export async function listDatabaseServers(options: { actor: Actor }): Promise<DatabaseServerView[]> {
  await authorizePlatformOperator({
    actor: options.actor,
    permission: canViewDatabaseServers,
    action: "view the database servers",
    notFound: DATABASE_SERVERS_NOT_FOUND,
  });
  const rows = await prisma.databaseServer.findMany({
    include: databaseServerViewInclude,
    orderBy: [{ name: "asc" }],
  });
  return rows.map(toDatabaseServerView);
}
