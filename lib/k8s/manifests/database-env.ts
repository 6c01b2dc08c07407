/**
 * The environment variables that hand a database's credentials to a site (a database given to the
 * site in the Databases page, SiteDatabaseAttachment). Pure: the reconciler decrypts, this names.
 */
import { ENV_PREFIX_PATTERN } from "@/lib/validation/database";

export interface DatabaseCredentials {
  /** The address pods use (the server's pod address, else its admin address). */
  host: string;
  port: number;
  name: string;
  user: string;
  password: string;
}

/** `<prefix>DB_HOST`, `<prefix>DB_PORT`, `<prefix>DB_NAME`, `<prefix>DB_USER`, `<prefix>DB_PASSWORD`. */
export function databaseEnvVars(
  credentials: DatabaseCredentials,
  options: { prefix?: string } = {},
): Record<string, string> {
  const prefix = options.prefix ?? "";
  if (!ENV_PREFIX_PATTERN.test(prefix)) {
    throw new Error(`"${prefix}" is not an environment variable prefix (upper-case, ending in _)`);
  }
  return {
    [`${prefix}DB_HOST`]: credentials.host,
    [`${prefix}DB_PORT`]: String(credentials.port),
    [`${prefix}DB_NAME`]: credentials.name,
    [`${prefix}DB_USER`]: credentials.user,
    [`${prefix}DB_PASSWORD`]: credentials.password,
  };
}

/**
 * The environment of every database given to a site, in a stable order (by prefix). Two
 * attachments cannot share a prefix (unique per site), so no variable is set twice.
 */
export function attachedDatabasesEnv(
  attachments: ReadonlyArray<{ envPrefix: string; credentials: DatabaseCredentials }>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const a of [...attachments].sort((x, y) => x.envPrefix.localeCompare(y.envPrefix))) {
    Object.assign(env, databaseEnvVars(a.credentials, { prefix: a.envPrefix }));
  }
  return env;
}
