import { randomBytes } from "node:crypto";
import mariadb, { type Connection } from "mariadb";
import { afterAll, describe, expect, it } from "vitest";
import { createSiteDbAdmin, type SiteDbAdmin, siteDbAdminUrlFromEnv } from "./admin";
import { dropSiteDatabase } from "./drop-site-database";
import { ensureSiteDatabase } from "./ensure-site-database";

const adminUrl = new URL(siteDbAdminUrlFromEnv());

function connectAs(user: string, password: string): Promise<Connection> {
  return mariadb.createConnection({
    host: adminUrl.hostname,
    port: adminUrl.port ? Number(adminUrl.port) : 3306,
    user,
    password,
  });
}

async function userExists(admin: SiteDbAdmin, user: string): Promise<boolean> {
  const rows = (await admin.query("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [
    user,
  ])) as unknown[];
  return rows.length > 0;
}

async function databaseExists(admin: SiteDbAdmin, name: string): Promise<boolean> {
  const rows = (await admin.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", [
    name,
  ])) as unknown[];
  return rows.length > 0;
}

describe("site databases on the real server", () => {
  const admin = createSiteDbAdmin();
  const hex = randomBytes(4).toString("hex");
  const site = { name: `sp_t_${hex}`, user: `sp_t_${hex}`, password: randomBytes(18).toString("base64url") };
  // Matches `sp_t_<hex>` if `_` were left a GRANT wildcard: it must stay invisible to the site's user.
  const lookalike = `spxtx${hex}`;

  afterAll(async () => {
    await dropSiteDatabase({ admin, name: site.name, user: site.user });
    await admin.query(`DROP DATABASE IF EXISTS \`${lookalike}\``);
    await admin.close();
  });

  it("creates a database its user can reach with its password, and sees nothing else", async () => {
    await admin.query(`CREATE DATABASE \`${lookalike}\``);
    await ensureSiteDatabase({ admin, ...site });

    const conn = await connectAs(site.user, site.password);
    try {
      const dbs = (await conn.query("SHOW DATABASES")) as Array<{ Database: string }>;
      expect(dbs.map((d) => d.Database).sort()).toEqual(["information_schema", site.name]);
      await conn.query(`CREATE TABLE \`${site.name}\`.posts (id INT PRIMARY KEY)`);
      await conn.query(`INSERT INTO \`${site.name}\`.posts VALUES (1)`);
      await expect(conn.query(`CREATE TABLE \`${lookalike}\`.stolen (id INT)`)).rejects.toThrow(/denied/i);
      await expect(conn.query("SELECT User FROM mysql.user")).rejects.toThrow(/denied/i);
      const charset = (await conn.query(
        "SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        [site.name],
      )) as Array<{ cs: string }>;
      expect(charset[0]?.cs).toBe("utf8mb4");
    } finally {
      await conn.end();
    }
    await expect(connectAs(site.user, "wrong-password")).rejects.toThrow(/denied/i);
  });

  it("is harmless to ensure again, and brings a changed password back in sync", async () => {
    await admin.query(`ALTER USER '${site.user}'@'%' IDENTIFIED BY 'changed-by-hand'`);
    await ensureSiteDatabase({ admin, ...site });
    await ensureSiteDatabase({ admin, ...site });
    const conn = await connectAs(site.user, site.password);
    try {
      // The data written before survives.
      const rows = (await conn.query(`SELECT id FROM \`${site.name}\`.posts`)) as Array<{ id: number }>;
      expect(rows).toEqual([{ id: 1 }]);
    } finally {
      await conn.end();
    }
  });

  it("drops the database and the user, and dropping again is harmless", async () => {
    await dropSiteDatabase({ admin, name: site.name, user: site.user });
    expect(await databaseExists(admin, site.name)).toBe(false);
    expect(await userExists(admin, site.user)).toBe(false);
    await dropSiteDatabase({ admin, name: site.name, user: site.user });
    await expect(connectAs(site.user, site.password)).rejects.toThrow(/denied/i);
  });
});
