/**
 * Applies prisma/migrations the way `prisma migrate deploy` does, without Prisma's native schema
 * engine (it cannot be downloaded here, and its WASM build has no MySQL support). Migrations keep
 * Prisma's layout and are recorded in Prisma's own `_prisma_migrations` table with the same
 * checksum, so a user who has the engine can run `prisma migrate status/deploy` on the same database.
 */
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import mariadb, { type Connection } from "mariadb";
import { type Logger, log as rootLog } from "@/lib/log";

export const DEFAULT_MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface MigrateOptions {
  /** mysql:// or mariadb:// URL; its path names the database, which is created when missing. */
  url: string;
  migrationsDir?: string;
  log?: Logger;
}

export interface MigrateResult {
  database: string;
  applied: string[];
  alreadyApplied: string[];
}

export interface ConnectionParts {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** Splits a mysql:// (or mariadb://) URL into driver options. */
export function parseDatabaseUrl(url: string): ConnectionParts {
  const parsed = new URL(url);
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw new MigrationError(
      `Unsupported database URL scheme "${parsed.protocol}" (expected mysql:// or mariadb://)`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  // The name is interpolated into CREATE DATABASE, which cannot take a bound parameter.
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) {
    throw new MigrationError(`Invalid or missing database name in URL: "${database}"`);
  }
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 3306,
    user: decodeURIComponent(parsed.username || "root"),
    password: decodeURIComponent(parsed.password),
    database,
  };
}

/** sha256 of the file's bytes, hex: what Prisma stores in `_prisma_migrations.checksum`. */
export function migrationChecksum(script: string | Buffer): string {
  return createHash("sha256").update(script).digest("hex");
}

/**
 * Splits a SQL script into statements on `;`, ignoring semicolons inside quotes, backticks and
 * comments. Comment-only fragments are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let current = "";
  let hasCode = false;
  let i = 0;
  while (i < script.length) {
    const ch = script[i] as string;
    const next = script[i + 1];
    if (ch === "-" && next === "-" && /[\s]/.test(script[i + 2] ?? "\n")) {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
      current += "\n";
      continue;
    }
    if (ch === "#") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
      current += "\n";
      continue;
    }
    if (ch === "/" && next === "*") {
      const end = script.indexOf("*/", i + 2);
      i = end === -1 ? script.length : end + 2;
      current += " ";
      continue;
    }
    if (ch === "'" || ch === '"' || ch === "`") {
      let j = i + 1;
      while (j < script.length) {
        const c = script[j];
        if (c === "\\" && ch !== "`") {
          j += 2;
          continue;
        }
        if (c === ch) {
          // A doubled quote is an escaped quote, not the end.
          if (script[j + 1] === ch) {
            j += 2;
            continue;
          }
          break;
        }
        j += 1;
      }
      current += script.slice(i, j + 1);
      hasCode = true;
      i = j + 1;
      continue;
    }
    if (ch === ";") {
      if (hasCode) statements.push(current.trim());
      current = "";
      hasCode = false;
      i += 1;
      continue;
    }
    current += ch;
    if (!/\s/.test(ch)) hasCode = true;
    i += 1;
  }
  if (hasCode) statements.push(current.trim());
  return statements;
}

interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(dir, name, "migration.sql");
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      continue; // Prisma ignores directories without a migration.sql too.
    }
    migrations.push({ name, script: bytes.toString("utf8"), checksum: migrationChecksum(bytes) });
  }
  return migrations;
}

// Exactly the table `prisma migrate` creates on MySQL, so Prisma's CLI can read what we record.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4`;

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  rolled_back_at: Date | null;
}

const LOCK_TIMEOUT_SECONDS = 60;

/**
 * Creates the database if missing and applies the migrations not yet recorded, in name order,
 * statement by statement. Idempotent. Refuses to run when an applied migration's file changed or
 * a previous run failed half-way (MySQL DDL is not transactional: a human must look).
 */
export async function migrateDatabase(options: MigrateOptions): Promise<MigrateResult> {
  const parts = parseDatabaseUrl(options.url);
  const migrationsDir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const logger = (options.log ?? rootLog).child({ component: "migrate", database: parts.database });
  const local = await readLocalMigrations(migrationsDir);

  const conn = await mariadb.createConnection({
    host: parts.host,
    port: parts.port,
    user: parts.user,
    password: parts.password,
  });
  const lockName = `sitepod_migrate_${parts.database}`;
  let locked = false;
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${parts.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
    await conn.query(`USE \`${parts.database}\``);
    // The web server and the reconciler may both migrate at start-up; one waits for the other.
    const [lockRow] = (await conn.query("SELECT GET_LOCK(?, ?) AS got", [
      lockName,
      LOCK_TIMEOUT_SECONDS,
    ])) as {
      got: number | bigint | null;
    }[];
    if (Number(lockRow?.got) !== 1) {
      throw new MigrationError(`Timed out waiting for the migration lock on ${parts.database}`);
    }
    locked = true;
    await conn.query(CREATE_MIGRATIONS_TABLE);

    const rows = (await conn.query(
      "SELECT id, checksum, finished_at, migration_name, rolled_back_at FROM _prisma_migrations ORDER BY started_at",
    )) as MigrationRow[];
    const active = rows.filter((r) => r.rolled_back_at === null);

    const failed = active.filter((r) => r.finished_at === null);
    if (failed.length > 0) {
      throw new MigrationError(
        `Migration ${failed.map((r) => r.migration_name).join(", ")} failed earlier; resolve it by hand ` +
          "(fix the database, then mark it rolled back or applied) before migrating again",
      );
    }

    const localNames = new Set(local.map((m) => m.name));
    for (const row of active) {
      if (!localNames.has(row.migration_name)) {
        logger.warn("applied migration missing locally", { migration: row.migration_name });
      }
    }

    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of local) {
      const done = active.find((r) => r.migration_name === migration.name);
      if (done) {
        if (done.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was modified after it was applied ` +
              `(recorded checksum ${done.checksum}, file has ${migration.checksum}); add a new migration instead`,
          );
        }
        alreadyApplied.push(migration.name);
        continue;
      }
      await applyMigration(conn, migration, logger);
      applied.push(migration.name);
    }
    logger.info("database migrated", { applied, alreadyApplied: alreadyApplied.length });
    return { database: parts.database, applied, alreadyApplied };
  } finally {
    if (locked) await conn.query("SELECT RELEASE_LOCK(?)", [lockName]).catch(() => undefined);
    await conn.end();
  }
}

async function applyMigration(conn: Connection, migration: LocalMigration, logger: Logger): Promise<void> {
  const id = randomUUID();
  await conn.query(
    "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, NOW(3), 0)",
    [id, migration.checksum, migration.name],
  );
  const statements = splitSqlStatements(migration.script);
  for (const [index, statement] of statements.entries()) {
    try {
      await conn.query(statement);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const logs = `Statement ${index + 1} of ${statements.length} failed: ${message}\n\n${statement}`;
      await conn.query("UPDATE _prisma_migrations SET logs = ? WHERE id = ?", [logs, id]);
      logger.error("migration failed", { migration: migration.name, statement: index + 1, err });
      throw new MigrationError(`Migration ${migration.name} failed: ${logs}`);
    }
  }
  await conn.query(
    "UPDATE _prisma_migrations SET finished_at = NOW(3), applied_steps_count = applied_steps_count + 1 WHERE id = ?",
    [id],
  );
  logger.info("migration applied", { migration: migration.name, statements: statements.length });
}
