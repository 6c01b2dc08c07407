/**
 * What the reconciler does on a database server, engine by engine (mysql-admin.ts, pg-admin.ts).
 * Every operation is idempotent: creating what exists or dropping what is gone changes nothing.
 */
import type { DatabaseEngineName } from "@/lib/validation/database";

export interface DatabaseServerAdmin {
  readonly engine: DatabaseEngineName;
  /** Fails with DatabaseServerUnreachableError when the server cannot be reached or refuses the admin. */
  ping(): Promise<void>;
  databaseExists(name: string): Promise<boolean>;
  /** Creates the database if missing and closes it to everyone not granted on it. */
  createDatabase(name: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  /** Bytes on disk; null when the database does not exist. */
  databaseSize(name: string): Promise<bigint | null>;
  userExists(name: string): Promise<boolean>;
  /** Creates the user if missing, and sets its password either way. */
  ensureUser(name: string, password: string): Promise<void>;
  /**
   * Drops the user. `databases`: Sitepod's databases on this server, where (PostgreSQL) what the
   * user owns is handed to the admin first: data the owner did not delete is never dropped.
   */
  dropUser(name: string, databases: readonly string[]): Promise<void>;
  /** ALL privileges on that one database, nothing else. */
  grantAll(database: string, user: string): Promise<void>;
  revokeAll(database: string, user: string): Promise<void>;
  close(): Promise<void>;
}

/** The server cannot be reached, or refuses the admin: transient, retried with backoff. */
export class DatabaseServerUnreachableError extends Error {
  override name = "DatabaseServerUnreachableError";
}

/** The server answered but refused a statement (e.g. a grant). */
export class DatabaseStatementError extends Error {
  override name = "DatabaseStatementError";
}

export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0]);
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 0 ? message.slice(0, 300) : err instanceof Error ? err.name : "unknown error";
}
