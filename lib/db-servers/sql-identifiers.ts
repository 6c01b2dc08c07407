/**
 * Identifiers inside DDL, where neither MySQL nor PostgreSQL takes bound parameters: every name is
 * validated again here (lower-case letters, digits, underscores, the engine's length limit) AND
 * quoted. A name that fails throws before any statement is built.
 */
import { type DatabaseEngineName, type IdentifierKind, identifierProblem } from "@/lib/validation/database";

export class DatabaseIdentifierError extends Error {
  override name = "DatabaseIdentifierError";
}

export function assertIdentifier(engine: DatabaseEngineName, kind: IdentifierKind, name: string): string {
  const problem = identifierProblem(engine, kind, name);
  if (problem) throw new DatabaseIdentifierError(problem);
  return name;
}

/** `name`: a validated name cannot contain a backtick; the check is a second fence. */
export function mysqlIdentifier(name: string, kind: IdentifierKind = "database"): string {
  assertIdentifier("MYSQL", kind, name);
  if (name.includes("`")) throw new DatabaseIdentifierError("identifier contains a backtick");
  return `\`${name}\``;
}

/**
 * GRANT's `db`.* treats `_` and `%` as wildcards: `acme_shop` unescaped would also match
 * `acmexshop`, someone else's database. Escaped, a grant covers exactly one database.
 */
export function mysqlGrantTarget(database: string): string {
  return `${mysqlIdentifier(database).replace(/_/g, "\\_")}.*`;
}

/** 'user'@'%': a string literal of validated characters only, so no escaping is needed. */
export function mysqlAccount(user: string): string {
  return `'${assertIdentifier("MYSQL", "user", user)}'@'%'`;
}

/** "name": a validated name cannot contain a double quote; the check is a second fence. */
export function pgIdentifier(name: string, kind: IdentifierKind = "database"): string {
  assertIdentifier("POSTGRESQL", kind, name);
  if (name.includes('"')) throw new DatabaseIdentifierError("identifier contains a double quote");
  return `"${name}"`;
}
