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

const globalForPrisma = globalThis as unknown as { sitepodPrisma?: PrismaClient };

/** One client per process (Next.js dev reloads modules; the global keeps the pool). */
export const prisma: PrismaClient = globalForPrisma.sitepodPrisma ?? createPrismaClient();
if (process.env.NODE_ENV !== "production") globalForPrisma.sitepodPrisma = prisma;
