/**
 * The admin connection to the database server that hosts the sites' databases. One default server
 * for now, configured by SITEPOD_SITE_DB_ADMIN_URL; operators will register servers later
 * (ARCHITECTURE.md, "Databases for sites").
 */
import mariadb from "mariadb";
import { mariadbUrl } from "@/lib/db";

export const DEFAULT_SITE_DB_ADMIN_URL = "mysql://root@127.0.0.1:3306";

/** The statements Sitepod runs as the server's admin; an interface so tests can fail them. */
export interface SiteDbAdmin {
  query(sql: string, values?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/** A database server could not be reached or refused a statement: transient, retry with backoff. */
export class SiteDatabaseUnavailableError extends Error {
  override name = "SiteDatabaseUnavailableError";
}

export function siteDbAdminUrlFromEnv(env: Record<string, string | undefined> = process.env): string {
  return env.SITEPOD_SITE_DB_ADMIN_URL || DEFAULT_SITE_DB_ADMIN_URL;
}

/**
 * A small pool: the reconciler runs a few DDL statements per site pass, never many at once.
 * `timeoutMs` bounds how long a pass waits for a server that is down (the pool keeps retrying the
 * connection until then) before it fails and the site is retried with backoff.
 */
export function createSiteDbAdmin(
  url: string = siteDbAdminUrlFromEnv(),
  options: { timeoutMs?: number } = {},
): SiteDbAdmin {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const parsed = new URL(mariadbUrl(url));
  if (parsed.protocol !== "mariadb:") {
    throw new Error(`Unsupported site database admin URL scheme "${parsed.protocol}"`);
  }
  const pool = mariadb.createPool({
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || "root"),
    password: decodeURIComponent(parsed.password),
    connectionLimit: 2,
    // No connection until the first statement: a reconciler with no sites opens none.
    minimumIdle: 0,
    connectTimeout: timeoutMs,
    acquireTimeout: timeoutMs,
  });
  return {
    async query(sql, values) {
      try {
        return await pool.query(sql, values);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new SiteDatabaseUnavailableError(message, { cause: err });
      }
    },
    close: () => pool.end(),
  };
}
