import { canManageDatabases } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { assertWithinLimits } from "@/lib/services/quota/assert-within-limits";
import { createDatabaseUserSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { generateDatabasePassword, sealDatabasePassword } from "./database-secrets";
import {
  type DatabaseUserWithPassword,
  databaseUserViewInclude,
  provisioningConditions,
  toDatabaseUserView,
} from "./database-view";
import { resolvePlacement } from "./placement";

function nameTaken(name: string): AppError {
  const message = `A database user named ${name} already exists on this server.`;
  return new AppError("CONFLICT", message, { name: message });
}

/**
 * Creates a database user with a generated password, returned here once and stored only sealed;
 * the reconciler creates the user on the server. Users have no plan limit of their own, but an
 * account that may not grow (suspended, being terminated) gets none.
 */
export async function createDatabaseUser(options: {
  actor: Actor;
  accountId: string;
  input: unknown;
}): Promise<DatabaseUserWithPassword> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canManageDatabases,
    action: "create database users",
  });
  const input = parseInput(createDatabaseUserSchema, options.input);
  const password = generateDatabasePassword();
  let fullName = input.name;
  try {
    const row = await prisma.$transaction(
      async (tx) => {
        const placement = await resolvePlacement(tx, {
          accountId,
          serverId: input.serverId,
          name: input.name,
          kind: "user",
        });
        fullName = placement.fullName;
        await assertWithinLimits(tx, { accountId, adding: {} });
        const taken = await tx.databaseUser.findUnique({
          where: { serverId_name: { serverId: placement.server.id, name: fullName } },
          select: { id: true },
        });
        if (taken) throw nameTaken(fullName);
        const created = await tx.databaseUser.create({
          data: {
            accountId,
            serverId: placement.server.id,
            name: fullName,
            passwordCiphertext: sealDatabasePassword(password),
            conditions: provisioningConditions("user"),
          },
          include: databaseUserViewInclude,
        });
        await appendChange(tx, {
          kind: "DatabaseUser",
          objectId: created.id,
          accountId,
          action: "CREATED",
          actorUserId: actor.userId,
          actorIp: actor.ip ?? null,
          data: { name: fullName, serverId: placement.server.id },
          summary: `Created database user ${fullName} on ${placement.server.name}`,
        });
        return created;
      },
      { isolationLevel: "ReadCommitted" },
    );
    log.info("database user created", {
      event: "database_user.created",
      databaseUserId: row.id,
      accountId,
      userId: actor.userId,
    });
    return { user: toDatabaseUserView(row), password };
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw nameTaken(fullName);
    throw err;
  }
}
