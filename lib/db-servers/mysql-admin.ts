import mariadb, { type PoolConnection } from "mariadb";
import type { ServerAddress } from "./server-address";
import {
  type DatabaseServerAdmin,
  DatabaseServerUnreachableError,
  DatabaseStatementError,
  errorMessage,
} from "./server-admin";
import { assertIdentifier, mysqlAccount, mysqlGrantTarget, mysqlIdentifier } from "./sql-identifiers";

/** MySQL's "there is no such grant defined": revoking what is not granted is already done. */
const ER_NONEXISTING_GRANT = 1141;
const ER_NONEXISTING_TABLE_GRANT = 1147;

/** A MySQL or MariaDB server, through a small pool: the reconciler runs a few statements at a time. */
export function createMysqlAdmin(
  address: ServerAddress,
  options: { timeoutMs?: number } = {},
): DatabaseServerAdmin {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pool = mariadb.createPool({
    host: address.host,
    port: address.port,
    user: address.adminUser,
    password: address.adminPassword ?? "",
    connectionLimit: 2,
    // No connection until the first statement: a server with nothing on it costs nothing.
    minimumIdle: 0,
    connectTimeout: timeoutMs,
    acquireTimeout: timeoutMs,
    initializationTimeout: timeoutMs,
  });

  async function run<T = unknown>(sql: string, values?: unknown[]): Promise<T> {
    let conn: PoolConnection;
    try {
      conn = await pool.getConnection();
    } catch (err) {
      throw new DatabaseServerUnreachableError(
        `Cannot connect to ${address.host}:${address.port}: ${errorMessage(err)}`,
        { cause: err },
      );
    }
    try {
      return (await conn.query(sql, values)) as T;
    } catch (err) {
      const fatal = typeof err === "object" && err !== null && "fatal" in err && err.fatal === true;
      if (fatal) throw new DatabaseServerUnreachableError(errorMessage(err), { cause: err });
      throw new DatabaseStatementError(errorMessage(err), { cause: err });
    } finally {
      await conn.release().catch(() => {});
    }
  }

  const isNoSuchGrant = (err: unknown) => {
    const cause = err instanceof DatabaseStatementError ? err.cause : undefined;
    const errno = typeof cause === "object" && cause !== null && "errno" in cause ? cause.errno : undefined;
    return errno === ER_NONEXISTING_GRANT || errno === ER_NONEXISTING_TABLE_GRANT;
  };

  return {
    engine: "MYSQL",
    async ping() {
      await run("SELECT 1");
    },
    async databaseExists(name) {
      assertIdentifier("MYSQL", "database", name);
      const rows = await run<unknown[]>("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [
        name,
      ]);
      return rows.length > 0;
    },
    async createDatabase(name) {
      await run(
        `CREATE DATABASE IF NOT EXISTS ${mysqlIdentifier(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    },
    async dropDatabase(name) {
      await run(`DROP DATABASE IF EXISTS ${mysqlIdentifier(name)}`);
    },
    async databaseSize(name) {
      assertIdentifier("MYSQL", "database", name);
      if (!(await this.databaseExists(name))) return null;
      const rows = await run<Array<{ size: bigint | number | string | null }>>(
        "SELECT COALESCE(SUM(DATA_LENGTH + INDEX_LENGTH), 0) AS size FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
        [name],
      );
      return BigInt(rows[0]?.size ?? 0);
    },
    async userExists(name) {
      assertIdentifier("MYSQL", "user", name);
      const rows = await run<unknown[]>("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [name]);
      return rows.length > 0;
    },
    async ensureUser(name, password) {
      const account = mysqlAccount(name);
      // The password is a bound value (escaped by the driver); the account was validated above.
      await run(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ?`, [password]);
      await run(`ALTER USER ${account} IDENTIFIED BY ?`, [password]);
    },
    async dropUser(name) {
      await run(`DROP USER IF EXISTS ${mysqlAccount(name)}`);
    },
    async grantAll(database, user) {
      await run(`GRANT ALL PRIVILEGES ON ${mysqlGrantTarget(database)} TO ${mysqlAccount(user)}`);
    },
    async revokeAll(database, user) {
      try {
        await run(`REVOKE ALL PRIVILEGES ON ${mysqlGrantTarget(database)} FROM ${mysqlAccount(user)}`);
      } catch (err) {
        if (!isNoSuchGrant(err)) throw err;
      }
    },
    close: () => pool.end(),
  };
}
