import { canManageDatabases } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { assertWithinLimits } from "@/lib/services/quota/assert-within-limits";
import { createDatabaseSchema } from "@/lib/validation/database";
import { formatLimit } from "@/lib/validation/plan";
import { parseInput } from "@/lib/validation/parse-input";
import {
  type DatabaseView,
  databaseViewInclude,
  provisioningConditions,
  toDatabaseView,
} from "./database-view";
import { resolvePlacement } from "./placement";

function nameTaken(name: string): AppError {
  const message = `A database named ${name} already exists on this server.`;
  return new AppError("CONFLICT", message, { name: message });
}

/**
 * Creates a database row, within the plan's maxDatabases, with a CREATED change in the same
 * transaction; the reconciler creates it on the server. The name is checked before the limit, so
 * a refusal of either writes nothing.
 */
export async function createDatabase(options: {
  actor: Actor;
  accountId: string;
  input: unknown;
}): Promise<DatabaseView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageDatabases,
    action: "create databases",
  });
  const input = parseInput(createDatabaseSchema, options.input);
  let fullName = input.name;
  try {
    const row = await prisma.$transaction(
      async (tx) => {
        const placement = await resolvePlacement(tx, {
          accountId,
          serverId: input.serverId,
          name: input.name,
          kind: "database",
        });
        fullName = placement.fullName;
        await assertWithinLimits(tx, {
          accountId,
          adding: { maxDatabases: 1 },
          // The account's list shows its own databases only: say where the others are.
          explain: async (violation) => {
            const sites = await tx.site.count({
              where: { accountId, deletionRequestedAt: null, app: "WORDPRESS" },
            });
            if (violation.key !== "maxDatabases" || sites === 0) return undefined;
            const which =
              sites === 1
                ? "1 of them the own database of a WordPress site"
                : `${sites} of them the own databases of WordPress sites`;
            return {
              message: `Your plan allows ${formatLimit("maxDatabases", violation.limit)}; you have ${violation.current}, ${which}. Upgrade the plan or delete a database.`,
            };
          },
        });
        const taken = await tx.database.findUnique({
          where: { serverId_name: { serverId: placement.server.id, name: fullName } },
          select: { id: true },
        });
        if (taken) throw nameTaken(fullName);
        const created = await tx.database.create({
          data: {
            accountId,
            serverId: placement.server.id,
            name: fullName,
            conditions: provisioningConditions("database"),
          },
          include: databaseViewInclude,
        });
        await appendChange(tx, {
          kind: "Database",
          objectId: created.id,
          accountId,
          action: "CREATED",
          actorUserId: actor.userId,
          actorIp: actor.ip ?? null,
          data: { name: fullName, serverId: placement.server.id, engine: placement.server.engine },
          summary: `Created database ${fullName} on ${placement.server.name}`,
        });
        return created;
      },
      { isolationLevel: "ReadCommitted" },
    );
    log.info("database created", {
      event: "database.created",
      databaseId: row.id,
      accountId,
      userId: actor.userId,
    });
    return toDatabaseView(row);
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw nameTaken(fullName);
    throw err;
  }
}
