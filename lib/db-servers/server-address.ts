import { open } from "@/lib/crypto/secret-box";
import type { DatabaseServer } from "@/lib/generated/prisma/client";
import type { DatabaseEngineName } from "@/lib/validation/database";

/** How Sitepod reaches a server as its admin, the password decrypted. */
export interface ServerAddress {
  engine: DatabaseEngineName;
  host: string;
  port: number;
  adminUser: string;
  adminPassword: string | null;
}

export function serverAddressOf(
  server: Pick<DatabaseServer, "engine" | "host" | "port" | "adminUser" | "adminPasswordCiphertext">,
  openSecret: (ciphertext: string) => string = open,
): ServerAddress {
  return {
    engine: server.engine,
    host: server.host,
    port: server.port,
    adminUser: server.adminUser,
    adminPassword: server.adminPasswordCiphertext ? openSecret(server.adminPasswordCiphertext) : null,
  };
}

/** host:port site pods use: the pod address when the operator gave one, else the admin address. */
export function podEndpointOf(server: Pick<DatabaseServer, "host" | "port" | "podHost" | "podPort">): {
  host: string;
  port: number;
} {
  return { host: server.podHost ?? server.host, port: server.podPort ?? server.port };
}
