import { seal } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { appendChange } from "@/lib/services/change-log/append-change";
import { createDatabaseServerSchema } from "@/lib/validation/database";
import { parseInput } from "@/lib/validation/parse-input";
import { databaseServerSummaryData } from "./database-view";

export interface RegisterServersResult {
  added: string[];
  changed: string[];
  unchanged: string[];
}

/**
 * Registers the database servers an installation brings (the machine's MariaDB and PostgreSQL for
 * a local install, scripts/up.mjs): a server not there yet (by name) is added; one there gets the
 * given address and credentials but keeps whether the operator lets it take new databases.
 * Idempotent: a server already so writes nothing. Each change is in the platform's audit log,
 * made by no user.
 */
export async function registerDatabaseServers(options: {
  db: PrismaClient;
  /** Untrusted: each parsed with createDatabaseServerSchema. */
  servers: unknown[];
  log?: Logger;
}): Promise<RegisterServersResult> {
  const servers = options.servers.map((s) => parseInput(createDatabaseServerSchema, s));
  const result: RegisterServersResult = { added: [], changed: [], unchanged: [] };
  for (const server of servers) {
    await options.db.$transaction(async (tx) => {
      const platform = await tx.account.findFirst({
        where: { kind: "PLATFORM", parentId: null },
        select: { id: true },
      });
      const before = await tx.databaseServer.findUnique({ where: { name: server.name } });
      const { adminPassword, enabled, ...address } = server;
      if (before) {
        const same =
          before.engine === address.engine &&
          before.host === address.host &&
          before.port === address.port &&
          before.adminUser === address.adminUser &&
          before.podHost === address.podHost &&
          before.podPort === address.podPort &&
          (before.adminPasswordCiphertext === null) === (adminPassword === null);
        // A stored password is opaque (sealed with a random nonce): one given again is re-sealed.
        if (same && adminPassword === null) {
          result.unchanged.push(server.name);
          return;
        }
      }
      const data = {
        ...address,
        adminPasswordCiphertext: adminPassword === null ? null : seal(adminPassword),
      };
      const row = before
        ? await tx.databaseServer.update({ where: { id: before.id }, data })
        : await tx.databaseServer.create({ data: { ...data, enabled } });
      await appendChange(tx, {
        kind: "DatabaseServer",
        objectId: row.id,
        accountId: platform?.id ?? null,
        action: before ? "UPDATED" : "CREATED",
        data: databaseServerSummaryData(row),
        summary: `Registered database server ${row.name} (${row.engine} at ${row.host}:${row.port})`,
      });
      (before ? result.changed : result.added).push(server.name);
    });
  }
  options.log?.info("database servers registered", { ...result });
  return result;
}
