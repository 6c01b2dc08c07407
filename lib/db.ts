import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { markDatabaseUnavailable } from "@/lib/db/unavailable";
import { unitOfWorkClient } from "@/lib/db/unit-of-work";
import { PrismaClient } from "@/lib/generated/prisma/client";

export const DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306/sitepod";

/** The mariadb driver rejects mysql:// URLs; Sitepod accepts both schemes. */
export function mariadbUrl(url: string): string {
  return url.replace(/^mysql:\/\//, "mariadb://");
}

/**
 * Prisma's MariaDB adapter, on the driver's text protocol. On the binary protocol the adapter
 * caches no prepared statement (it sets prepareCacheLength to 0, so that pools never reach the
 * server's max_prepared_stmt_count), which makes every query a PREPARE, an EXECUTE and a CLOSE:
 * three commands and a statement compiled on the server for each. The text protocol sends one,
 * with the values escaped by the driver.
 */
export function mariadbAdapter(url: string): PrismaMariaDb {
  return new PrismaMariaDb(mariadbUrl(url), { useTextProtocol: true });
}

/**
 * A client whose failed queries, when the database does not answer, carry the digest the error
 * page recognises (lib/db/unavailable.ts). Only a query extension: the client's API is unchanged.
 */
export function createPrismaClient(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): PrismaClient {
  const client = new PrismaClient({ adapter: mariadbAdapter(url) });
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (err) {
          throw markDatabaseUnavailable(err);
        }
      },
    },
  }) as unknown as PrismaClient;
}

// One client per process: Next.js dev reloads modules, the global keeps the pool.
const globalForPrisma = globalThis as unknown as { sitepodPrisma?: PrismaClient };

/**
 * The process-wide client, created on first use so that DATABASE_URL is read then, not at import
 * time (tests point it at their own database before any service runs).
 */
export function getPrisma(): PrismaClient {
  let client = globalForPrisma.sitepodPrisma;
  if (!client) {
    client = createPrismaClient();
    globalForPrisma.sitepodPrisma = client;
  }
  return client;
}

/**
 * Replaces the process-wide client (tests: use the test database's client; `undefined` forgets it
 * so the next use creates one from DATABASE_URL). The caller owns disconnecting the old one.
 */
export function setPrismaClient(client: PrismaClient | undefined): void {
  globalForPrisma.sitepodPrisma = client;
}

/**
 * Lazy handle on getPrisma(): the same API as a PrismaClient, resolved at each use. Inside a unit
 * of work (lib/db/unit-of-work.ts) it is the unit's transaction instead.
 */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = unitOfWorkClient() ?? getPrisma();
    const value: unknown = Reflect.get(client, property, client);
    if (property === "$transaction" && typeof value === "function") {
      // A transaction that cannot start (P2028) fails before any query: marked here.
      return (...args: unknown[]) =>
        (value.apply(client, args) as Promise<unknown>).catch((err: unknown) => {
          throw markDatabaseUnavailable(err);
        });
    }
    return typeof value === "function" ? value.bind(client) : value;
  },
});
