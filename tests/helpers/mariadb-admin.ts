/**
 * Creating and dropping whole databases on the MariaDB server a URL points at. Shared by the vitest
 * helpers and Playwright's global setup/teardown, so it must not import vitest.
 */
import mariadb from "mariadb";
import { parseDatabaseUrl } from "../../lib/db/migrate";

/** Runs one statement on the server of `url`, connected without selecting its database. */
async function onServer(url: string, statement: (database: string) => string): Promise<void> {
  const parts = parseDatabaseUrl(url);
  const conn = await mariadb.createConnection({
    host: parts.host,
    port: parts.port,
    user: parts.user,
    password: parts.password,
  });
  try {
    await conn.query(statement(parts.database));
  } finally {
    await conn.end();
  }
}

/** Creates the database of `url`; fails if it exists, so a name collision never reuses someone's rows. */
export async function createDatabase(url: string): Promise<void> {
  await onServer(
    url,
    (database) => `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
}

export async function dropDatabase(url: string): Promise<void> {
  await onServer(url, (database) => `DROP DATABASE IF EXISTS \`${database}\``);
}
