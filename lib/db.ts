import { PrismaMariaDb } from "@prisma/adapter-mariadb";
import { PrismaClient } from "@/lib/generated/prisma/client";

export const DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306/sitepod";

/** The mariadb driver rejects mysql:// URLs; Sitepod accepts both schemes. */
export function mariadbUrl(url: string): string {
  return url.replace(/^mysql:\/\//, "mariadb://");
}

export function createPrismaClient(url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL): PrismaClient {
  return new PrismaClient({ adapter: new PrismaMariaDb(mariadbUrl(url)) });
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

/** Lazy handle on getPrisma(): the same API as a PrismaClient, resolved at each use. */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrisma();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});
