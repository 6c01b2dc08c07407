import { canViewDatabases } from "@/lib/authz/permissions";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/services/actor";
import { authorizeDatabase, DATABASE_NOT_FOUND } from "./authorize-database";
import { type DatabaseView, databaseViewInclude, toDatabaseView } from "./database-view";

/** One database with its state, size, grants and the sites given it. */
export async function getDatabase(options: { actor: Actor; databaseId: string }): Promise<DatabaseView> {
  const { actor } = options;
  const { databaseId, accountId } = await authorizeDatabase({
    actor,
    databaseId: options.databaseId,
    permission: canViewDatabases,
    action: "view databases",
  });
  const row = await prisma.database.findFirst({
    where: { id: databaseId, accountId, account: await reachableAccountWhere(actor) },
    include: databaseViewInclude,
  });
  if (!row) throw new AppError("NOT_FOUND", DATABASE_NOT_FOUND);
  return toDatabaseView(row);
}
