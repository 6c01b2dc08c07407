import type { DatabaseServer } from "@/lib/generated/prisma/client";
import { createMysqlAdmin } from "./mysql-admin";
import { createPgAdmin } from "./pg-admin";
import { type ServerAddress, serverAddressOf } from "./server-address";
import type { DatabaseServerAdmin } from "./server-admin";

export function createServerAdmin(
  address: ServerAddress,
  options: { timeoutMs?: number } = {},
): DatabaseServerAdmin {
  return address.engine === "POSTGRESQL"
    ? createPgAdmin(address, options)
    : createMysqlAdmin(address, options);
}

type ServerRow = Pick<
  DatabaseServer,
  "id" | "engine" | "host" | "port" | "adminUser" | "adminPasswordCiphertext"
>;

/**
 * One admin connection per registered server, shared by every pass of the reconciler. A server row
 * changed by the operator (a fixed address, a new password) gets a new connection; the old one closes.
 */
export class ServerAdminCache {
  private readonly admins = new Map<string, { version: string; admin: DatabaseServerAdmin }>();

  constructor(
    private readonly factory: (address: ServerAddress) => DatabaseServerAdmin = (address) =>
      createServerAdmin(address),
  ) {}

  get(server: ServerRow): DatabaseServerAdmin {
    // What the connection depends on, not updatedAt: every check touches the row (lastCheckedAt).
    // A new password is sealed with a new nonce, so its ciphertext changes too.
    const version = `${server.engine}:${server.host}:${server.port}:${server.adminUser}:${server.adminPasswordCiphertext ?? ""}`;
    const cached = this.admins.get(server.id);
    if (cached?.version === version) return cached.admin;
    if (cached) void cached.admin.close().catch(() => {});
    const admin = this.factory(serverAddressOf(server));
    this.admins.set(server.id, { version, admin });
    return admin;
  }

  async close(): Promise<void> {
    const all = [...this.admins.values()];
    this.admins.clear();
    await Promise.all(all.map(({ admin }) => admin.close().catch(() => {})));
  }
}
