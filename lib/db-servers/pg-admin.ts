import pg from "pg";
import type { ServerAddress } from "./server-address";
import {
  type DatabaseServerAdmin,
  DatabaseServerUnreachableError,
  DatabaseStatementError,
  errorMessage,
} from "./server-admin";
import { assertIdentifier, pgIdentifier } from "./sql-identifiers";

/** SQLSTATE classes that mean the connection, not the statement, failed. */
const CONNECTION_SQLSTATES = /^(08|28|57P|53)/;
const DUPLICATE_DATABASE = "42P04";
const DUPLICATE_OBJECT = "42710";
/** The admin's maintenance database: every statement that concerns the cluster runs there. */
const MAINTENANCE_DATABASE = "postgres";

function isConnectionError(err: unknown): boolean {
  const code = typeof err === "object" && err !== null && "code" in err ? String(err.code) : "";
  if (code === "") return true;
  return CONNECTION_SQLSTATES.test(code) || /^E[A-Z]+$/.test(code);
}

function sqlState(err: unknown): string | undefined {
  const cause = err instanceof DatabaseStatementError ? err.cause : err;
  return typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : undefined;
}

/**
 * A PostgreSQL server. Cluster-wide statements (databases, roles) go through a small pool on the
 * maintenance database; the few that act inside one database (its public schema, what a dropped
 * user owned there) open a short connection to it.
 */
export function createPgAdmin(
  address: ServerAddress,
  options: { timeoutMs?: number } = {},
): DatabaseServerAdmin {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const config = (database: string): pg.ClientConfig => ({
    host: address.host,
    port: address.port,
    user: address.adminUser,
    ...(address.adminPassword ? { password: address.adminPassword } : {}),
    database,
    connectionTimeoutMillis: timeoutMs,
    application_name: "sitepod-reconciler",
  });
  const pool = new pg.Pool({ ...config(MAINTENANCE_DATABASE), max: 2, idleTimeoutMillis: 10_000 });
  // An idle client losing its connection must not crash the process; the next statement reconnects.
  pool.on("error", () => {});

  const unreachable = (err: unknown) =>
    new DatabaseServerUnreachableError(
      `Cannot connect to ${address.host}:${address.port}: ${errorMessage(err)}`,
      { cause: err },
    );

  async function run<R extends pg.QueryResultRow = pg.QueryResultRow>(
    sql: string,
    values?: unknown[],
  ): Promise<pg.QueryResult<R>> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      throw unreachable(err);
    }
    try {
      return await client.query<R>(sql, values);
    } catch (err) {
      if (isConnectionError(err)) throw unreachable(err);
      throw new DatabaseStatementError(errorMessage(err), { cause: err });
    } finally {
      client.release();
    }
  }

  /** Runs statements connected to one database (the admin's role, like the pool). */
  async function inDatabase(database: string, statements: readonly string[]): Promise<void> {
    assertIdentifier("POSTGRESQL", "database", database);
    const client = new pg.Client(config(database));
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (err) {
      await client.end().catch(() => {});
      throw unreachable(err);
    }
    try {
      for (const sql of statements) await client.query(sql);
    } catch (err) {
      if (isConnectionError(err)) throw unreachable(err);
      throw new DatabaseStatementError(errorMessage(err), { cause: err });
    } finally {
      await client.end().catch(() => {});
    }
  }

  async function databaseExists(name: string): Promise<boolean> {
    assertIdentifier("POSTGRESQL", "database", name);
    const result = await run("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    return (result.rowCount ?? 0) > 0;
  }

  async function userExists(name: string): Promise<boolean> {
    assertIdentifier("POSTGRESQL", "user", name);
    const result = await run("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]);
    return (result.rowCount ?? 0) > 0;
  }

  return {
    engine: "POSTGRESQL",
    async ping() {
      await run("SELECT 1");
    },
    databaseExists,
    async createDatabase(name) {
      const database = pgIdentifier(name);
      // CREATE DATABASE has no IF NOT EXISTS: look in pg_database, and take a concurrent creation as done.
      if (!(await databaseExists(name))) {
        try {
          await run(`CREATE DATABASE ${database} ENCODING 'UTF8' TEMPLATE template0`);
        } catch (err) {
          if (sqlState(err) !== DUPLICATE_DATABASE) throw err;
        }
      }
      // By default every role may connect to every database: only the granted users may here.
      await run(`REVOKE ALL ON DATABASE ${database} FROM PUBLIC`);
    },
    async dropDatabase(name) {
      // FORCE (PostgreSQL 13+) ends the sessions still connected to it.
      await run(`DROP DATABASE IF EXISTS ${pgIdentifier(name)} WITH (FORCE)`);
    },
    async databaseSize(name) {
      if (!(await databaseExists(name))) return null;
      const result = await run<{ size: string }>("SELECT pg_database_size($1)::text AS size", [name]);
      return BigInt(result.rows[0]?.size ?? "0");
    },
    userExists,
    async ensureUser(name, password) {
      const role = pgIdentifier(name, "user");
      // Role statements take no bound parameters: the password goes in as an escaped literal.
      const literal = pg.escapeLiteral(password);
      if (!(await userExists(name))) {
        try {
          await run(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal}`);
          return;
        } catch (err) {
          if (sqlState(err) !== DUPLICATE_OBJECT) throw err;
        }
      }
      await run(`ALTER ROLE ${role} WITH LOGIN PASSWORD ${literal}`);
    },
    async dropUser(name, databases) {
      const role = pgIdentifier(name, "user");
      if (!(await userExists(name))) return;
      // A role that owns objects cannot be dropped: hand them to the admin, keeping the data.
      for (const database of databases) {
        if (!(await databaseExists(database))) continue;
        await inDatabase(database, [`REASSIGN OWNED BY ${role} TO CURRENT_USER`, `DROP OWNED BY ${role}`]);
      }
      await run(`DROP ROLE IF EXISTS ${role}`);
    },
    async grantAll(database, user) {
      const role = pgIdentifier(user, "user");
      await run(`GRANT ALL PRIVILEGES ON DATABASE ${pgIdentifier(database)} TO ${role}`);
      // Since PostgreSQL 15 only the database owner may create in its public schema.
      await inDatabase(database, [`GRANT ALL ON SCHEMA public TO ${role}`]);
    },
    async revokeAll(database, user) {
      const role = pgIdentifier(user, "user");
      if (!(await userExists(user)) || !(await databaseExists(database))) return;
      await run(`REVOKE ALL PRIVILEGES ON DATABASE ${pgIdentifier(database)} FROM ${role}`);
      await inDatabase(database, [`REVOKE ALL ON SCHEMA public FROM ${role}`]);
    },
    close: () => pool.end(),
  };
}
