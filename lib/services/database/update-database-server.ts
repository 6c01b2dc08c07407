import { canManageDatabaseServers } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { seal } from "@/lib/crypto/secret-box";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { updateDatabaseServerSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { serverNameTaken } from "./create-database-server";
import {
  type DatabaseServerView,
  databaseServerSummaryData,
  databaseServerViewInclude,
  toDatabaseServerView,
} from "./database-view";

const NOT_FOUND = "Database server not found.";

/**
 * The platform operator changes a registered server: its address (the reconciler reconnects and
 * retries everything on it), its admin credentials (a missing password keeps the stored one), the
 * address pods use, or whether it takes new databases. The engine is fixed. A call that changes
 * nothing writes nothing.
 */
export async function updateDatabaseServer(options: {
  actor: Actor;
  serverId: string;
  input: unknown;
}): Promise<DatabaseServerView> {
  const { actor } = options;
  const { platformAccountId } = await authorizePlatformOperator({
    actor,
    permission: canManageDatabaseServers,
    action: "manage the database servers",
    notFound: NOT_FOUND,
  });
  const input = parseInput(updateDatabaseServerSchema, options.input);
  try {
    const { row, changed } = await prisma.$transaction(async (tx) => {
      const before = await tx.databaseServer.findUnique({
        where: { id: options.serverId },
        include: databaseServerViewInclude,
      });
      if (!before) throw new AppError("NOT_FOUND", NOT_FOUND);
      const { adminPassword, ...fields } = input;
      const data: Prisma.DatabaseServerUpdateInput = {};
      const parts: string[] = [];
      for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
        const value = fields[key];
        if (value === undefined || value === before[key]) continue;
        Object.assign(data, { [key]: value });
        parts.push(
          key === "enabled"
            ? value
              ? "takes new databases"
              : "takes no new databases"
            : `${key} ${value ?? "(none)"}`,
        );
      }
      if (adminPassword !== undefined) {
        data.adminPasswordCiphertext = adminPassword === null ? null : seal(adminPassword);
        parts.push(adminPassword === null ? "no admin password" : "new admin password");
      }
      if (parts.length === 0) return { row: before, changed: false };
      if (fields.name !== undefined && fields.name !== before.name) {
        const taken = await tx.databaseServer.findUnique({
          where: { name: fields.name },
          select: { id: true },
        });
        if (taken) throw serverNameTaken(fields.name);
      }
      const updated = await tx.databaseServer.update({
        where: { id: before.id },
        data,
        include: databaseServerViewInclude,
      });
      await appendChange(tx, {
        kind: "DatabaseServer",
        objectId: updated.id,
        accountId: platformAccountId,
        action: "UPDATED",
        actorUserId: actor.userId,
        actorIp: actor.ip ?? null,
        data: databaseServerSummaryData(updated),
        summary: `Changed database server ${updated.name}: ${parts.join(", ")}`,
      });
      return { row: updated, changed: true };
    });
    if (changed) {
      log.info("database server changed", {
        event: "database_server.updated",
        serverId: row.id,
        userId: actor.userId,
      });
    }
    return toDatabaseServerView(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002" && input.name) {
      throw serverNameTaken(input.name);
    }
    throw err;
  }
}
