/**
 * `tsx prisma/register-database-servers.ts`: registers the machine's database servers in the
 * database of DATABASE_URL (migrated first), for a local install (scripts/up.mjs):
 *   - "MariaDB (local)": SITEPOD_SITE_DB_ADMIN_URL (default mysql://root@127.0.0.1:3306), the server
 *     WordPress sites' own databases use; pods reach it at SITEPOD_SITE_DB_HOST when that is set.
 *   - "PostgreSQL (local)": SITEPOD_LOCAL_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
 *     registered only when it answers; pods reach it on SITEPOD_SITE_DB_HOST's host, port 5432.
 * Idempotent; whether the operator lets a server take new databases is kept.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createPrismaClient, DEFAULT_DATABASE_URL } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { registerDatabaseServers } from "@/lib/services/database/register-database-servers";
import { siteDbAdminUrlFromEnv } from "@/lib/site-db/admin";

export const LOCAL_MARIADB = "MariaDB (local)";
export const LOCAL_POSTGRES = "PostgreSQL (local)";
const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432";

function splitHostPort(value: string | undefined): { host: string; port: number | null } | null {
  if (!value) return null;
  const match = /^(.+?)(?::(\d+))?$/.exec(value.trim());
  if (!match?.[1]) return null;
  return { host: match[1], port: match[2] ? Number(match[2]) : null };
}

/** What a local install registers, from its environment. */
export function localServers(env: Record<string, string | undefined>): {
  mariadb: Record<string, unknown>;
  postgres: Record<string, unknown>;
} {
  const mysqlUrl = new URL(siteDbAdminUrlFromEnv(env));
  const pgUrl = new URL(env.SITEPOD_LOCAL_POSTGRES_URL || DEFAULT_POSTGRES_URL);
  const pods = splitHostPort(env.SITEPOD_SITE_DB_HOST);
  return {
    mariadb: {
      name: LOCAL_MARIADB,
      engine: "MYSQL",
      host: mysqlUrl.hostname || "127.0.0.1",
      port: Number(mysqlUrl.port || 3306),
      adminUser: decodeURIComponent(mysqlUrl.username || "root"),
      adminPassword: decodeURIComponent(mysqlUrl.password),
      podHost: pods?.host ?? null,
      podPort: pods ? (pods.port ?? 3306) : null,
    },
    postgres: {
      name: LOCAL_POSTGRES,
      engine: "POSTGRESQL",
      host: pgUrl.hostname || "127.0.0.1",
      port: Number(pgUrl.port || 5432),
      adminUser: decodeURIComponent(pgUrl.username || "postgres"),
      adminPassword: decodeURIComponent(pgUrl.password),
      podHost: pods?.host ?? null,
      podPort: pods ? 5432 : null,
    },
  };
}

async function answers(server: Record<string, unknown>): Promise<boolean> {
  const client = new pg.Client({
    host: String(server.host),
    port: Number(server.port),
    user: String(server.adminUser),
    ...(server.adminPassword ? { password: String(server.adminPassword) } : {}),
    database: "postgres",
    connectionTimeoutMillis: 3_000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  await migrateDatabase({ url });
  const { mariadb, postgres } = localServers(process.env);
  const servers: unknown[] = [mariadb];
  if (await answers(postgres)) servers.push(postgres);
  else
    log.warn("the local PostgreSQL does not answer: not registered", {
      host: postgres.host,
      port: postgres.port,
    });
  const prisma = createPrismaClient(url);
  try {
    await registerDatabaseServers({ db: prisma, servers, log });
  } finally {
    await prisma.$disconnect();
  }
}

const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(path.resolve(entry)).href) {
  main().catch((err: unknown) => {
    if (isAppError(err))
      log.error("database server registration refused", { message: err.message, fields: err.fieldErrors });
    else log.error("database server registration failed", { err });
    process.exitCode = 1;
  });
}
