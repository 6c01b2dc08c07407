import { podEndpointOf } from "@/lib/db-servers/server-address";
import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * host:port where site pods reach each registered database server, sorted: every tenant's
 * NetworkPolicy lets site pods reach them (a database given to a site may be on any server).
 * Read by both the site's and the account's pass, which render the same policies.
 */
export async function registeredDatabaseEndpoints(
  prisma: Pick<PrismaClient, "databaseServer">,
): Promise<string[]> {
  const servers = await prisma.databaseServer.findMany({
    select: { host: true, port: true, podHost: true, podPort: true },
  });
  const endpoints = servers.map((s) => {
    const { host, port } = podEndpointOf(s);
    return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  });
  return [...new Set(endpoints)].sort();
}
