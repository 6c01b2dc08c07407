import type { SiteDbAdmin } from "./admin";
import { assertDatabaseName, grantDatabasePattern, quoteIdentifier, userAccount } from "./identifiers";

export interface EnsureSiteDatabaseOptions {
  admin: SiteDbAdmin;
  name: string;
  user: string;
  password: string;
}

/**
 * Creates the site's database and user if missing, sets the user's password to the one in the
 * site's secrets (so a hand change or a restored server converges), and grants the user everything
 * on that one database and nothing else. Idempotent: every statement is safe to repeat.
 */
export async function ensureSiteDatabase(options: EnsureSiteDatabaseOptions): Promise<void> {
  const database = quoteIdentifier(assertDatabaseName(options.name));
  const account = userAccount(options.user);
  const { admin } = options;
  await admin.query(
    `CREATE DATABASE IF NOT EXISTS ${database} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  // The password is a bound value (escaped by the driver); identifiers were validated above.
  await admin.query(`CREATE USER IF NOT EXISTS ${account} IDENTIFIED BY ?`, [options.password]);
  await admin.query(`ALTER USER ${account} IDENTIFIED BY ?`, [options.password]);
  await admin.query(`GRANT ALL PRIVILEGES ON ${grantDatabasePattern(options.name)}.* TO ${account}`);
}
