import type { SiteDbAdmin } from "./admin";
import { assertDatabaseName, quoteIdentifier, userAccount } from "./identifiers";

export interface DropSiteDatabaseOptions {
  admin: SiteDbAdmin;
  name: string;
  user: string;
}

/** Drops the site's database and its user (and with it the user's grants). Idempotent. */
export async function dropSiteDatabase(options: DropSiteDatabaseOptions): Promise<void> {
  const database = quoteIdentifier(assertDatabaseName(options.name));
  const account = userAccount(options.user);
  await options.admin.query(`DROP DATABASE IF EXISTS ${database}`);
  await options.admin.query(`DROP USER IF EXISTS ${account}`);
}
