import { canManageDatabaseServers } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { seal } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { createDatabaseServerSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import {
  type DatabaseServerView,
  databaseServerSummaryData,
  databaseServerViewInclude,
  toDatabaseServerView,
} from "./database-view";
import { DATABASE_SERVERS_NOT_FOUND } from "./list-database-servers";

export function serverNameTaken(name: string): AppError {
  const message = `A database server named "${name}" is already registered.`;
  return new AppError("CONFLICT", message, { name: message });
}

/**
 * The platform operator registers a database server. Its admin password is sealed
 * (lib/crypto/secret-box) and never sent back; the reconciler checks that it can connect and
 * shows the answer as the server's condition.
 */
export async function createDatabaseServer(options: {
  actor: Actor;
  input: unknown;
}): Promise<DatabaseServerView> {
  const { actor } = options;
  const { platformAccountId } = await authorizePlatformOperator({
    actor,
    permission: canManageDatabaseServers,
    action: "manage the database servers",
    notFound: DATABASE_SERVERS_NOT_FOUND,
  });
  const input = parseInput(createDatabaseServerSchema, options.input);
  const { adminPassword, ...fields } = input;
  try {
    const row = await prisma.$transaction(async (tx) => {
      if (await tx.databaseServer.findUnique({ where: { name: input.name }, select: { id: true } })) {
        throw serverNameTaken(input.name);
      }
      const created = await tx.databaseServer.create({
        data: { ...fields, adminPasswordCiphertext: adminPassword === null ? null : seal(adminPassword) },
        include: databaseServerViewInclude,
      });
      await appendChange(tx, {
        kind: "DatabaseServer",
        objectId: created.id,
        accountId: platformAccountId,
        action: "CREATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: databaseServerSummaryData(created),
        summary: `Registered database server ${created.name} (${created.engine} at ${created.host}:${created.port})`,
      });
      return created;
    });
    log.info("database server registered", {
      event: "database_server.created",
      serverId: row.id,
      engine: row.engine,
      userId: actor.userId,
    });
    return toDatabaseServerView(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw serverNameTaken(input.name);
    throw err;
  }
}
