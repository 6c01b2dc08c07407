import type { Db } from "@/lib/authz/scope";
import { AppError } from "@/lib/errors";
import type { DatabaseServer } from "@/lib/generated/prisma/client";
import { accountDatabasePrefix, type IdentifierKind, prefixedNameProblem } from "@/lib/validation/database";

const NO_SERVER = "Choose a database server.";

/**
 * The server a new database or user goes on, and its full name there (`<account prefix><name>`),
 * or INVALID_INPUT with a message on the field at fault. Servers are the platform's: every
 * account may place databases on any enabled one.
 */
export async function resolvePlacement(
  tx: Db,
  options: { accountId: string; serverId: string; name: string; kind: IdentifierKind },
): Promise<{ server: DatabaseServer; fullName: string; prefix: string }> {
  const server = await tx.databaseServer.findUnique({ where: { id: options.serverId } });
  if (!server) throw new AppError("INVALID_INPUT", NO_SERVER, { serverId: NO_SERVER });
  if (!server.enabled) {
    const message = `${server.name} takes no new databases or users: choose another server.`;
    throw new AppError("INVALID_INPUT", message, { serverId: message });
  }
  const account = await tx.account.findUniqueOrThrow({
    where: { id: options.accountId },
    select: { slug: true },
  });
  const prefix = accountDatabasePrefix(account.slug);
  const problem = prefixedNameProblem(server.engine, options.kind, prefix, options.name);
  if (problem) throw new AppError("INVALID_INPUT", problem, { name: problem });
  return { server, fullName: `${prefix}${options.name}`, prefix };
}
