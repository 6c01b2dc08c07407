/**
 * Database and user names end up inside DDL, where MySQL takes no bound parameters for
 * identifiers: they are validated strictly and quoted, never trusted.
 */

/** What generateSiteSecrets produces: lower-case letters, digits and underscores. */
const DATABASE_NAME = /^[a-z0-9_]{1,64}$/;
/** MySQL limits user names to 32 characters (MariaDB allows more; the lower limit works on both). */
const USER_NAME = /^[a-z0-9_]{1,32}$/;

export class SiteDatabaseIdentifierError extends Error {
  override name = "SiteDatabaseIdentifierError";
}

export function assertDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) {
    throw new SiteDatabaseIdentifierError(`"${name}" is not a valid site database name ([a-z0-9_], 1-64)`);
  }
  return name;
}

export function assertUserName(user: string): string {
  if (!USER_NAME.test(user)) {
    throw new SiteDatabaseIdentifierError(`"${user}" is not a valid site database user ([a-z0-9_], 1-32)`);
  }
  return user;
}

/** `name`, for a validated name (backticks cannot occur in one, the check is a second fence). */
export function quoteIdentifier(name: string): string {
  if (name.includes("`")) throw new SiteDatabaseIdentifierError("identifier contains a backtick");
  return `\`${name}\``;
}

/**
 * In GRANT's `db`.* the characters `_` and `%` are wildcards: an unescaped `sp_blog_1a2b` would also
 * match `spxblogx1a2b`, another tenant's database. Escaped, the grant covers exactly one database.
 */
export function grantDatabasePattern(name: string): string {
  return quoteIdentifier(assertDatabaseName(name).replace(/_/g, "\\_"));
}

/** 'user'@'%': a string literal, validated characters only, so no escaping is needed. */
export function userAccount(user: string): string {
  return `'${assertUserName(user)}'@'%'`;
}
