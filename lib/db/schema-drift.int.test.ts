/**
 * Guards the hand-written migrations against drift from prisma/schema.prisma: a fresh database
 * migrated with them must have exactly the tables, columns, types, nullability, defaults, indexes
 * and foreign keys of the data model the Prisma client was generated from.
 */
import mariadb, { type Connection } from "mariadb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDatabaseUrl } from "@/lib/db/migrate";
import { getDmmf, readGeneratedClientSchema } from "@/lib/db/prisma-dmmf";
import { actualSchema, expectedSchema } from "@/lib/db/schema-snapshot";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";

let db: TestDatabase;
let conn: Connection;

beforeAll(async () => {
  db = await createTestDatabase();
  conn = await mariadb.createConnection(parseDatabaseUrl(db.url));
});

afterAll(async () => {
  await conn?.end();
  await db?.drop();
});

const clientSchema = readGeneratedClientSchema();

describe("schema drift", () => {
  it("the migrated database matches the data model the Prisma client was generated from", async () => {
    const expected = expectedSchema(getDmmf(clientSchema));
    expect(Object.keys(expected).sort()).toEqual([
      "Account",
      "Allotment",
      "ApiObjectMeta",
      "ApiToken",
      "ApiTokenAddress",
      "Brand",
      "ChangeLog",
      "CronJob",
      "Database",
      "DatabaseGrant",
      "DatabaseServer",
      "DatabaseUser",
      "Domain",
      "EmailToken",
      "Impersonation",
      "Invite",
      "Membership",
      "Plan",
      "ReconcilerHeartbeat",
      "RecoveryCode",
      "RememberedDevice",
      "RuntimeImage",
      "SignInThrottle",
      "Site",
      "SiteDatabaseAttachment",
      "SiteEvent",
      "User",
      "UserSession",
    ]);
    expect(await actualSchema(conn, db.name)).toEqual(expected);
  });

  it("the generated client was generated from the current prisma/schema.prisma", async () => {
    const { readFile } = await import("node:fs/promises");
    const onDisk = await readFile(new URL("../../prisma/schema.prisma", import.meta.url), "utf8");
    expect(clientSchema, "run `npm run prisma:generate`").toBe(onDisk);
  });

  it("notices a model field that no migration created", async () => {
    const extended = clientSchema.replace(
      /model Domain \{\n/,
      "model Domain {\n  verifiedAt DateTime? @db.DateTime(3)\n",
    );
    expect(extended).not.toBe(clientSchema);
    const expected = expectedSchema(getDmmf(extended));
    const actual = await actualSchema(conn, db.name);
    expect(actual).not.toEqual(expected);
    expect(expected.Domain?.columns.verifiedAt).toEqual({
      type: "datetime(3)",
      nullable: true,
      default: null,
      autoIncrement: false,
    });
    expect(actual.Domain?.columns.verifiedAt).toBeUndefined();
  });

  it("notices a database that lost a column, an index or a foreign key", async () => {
    const expected = expectedSchema(getDmmf(clientSchema));
    await conn.query("ALTER TABLE `ChangeLog` DROP COLUMN `actorIp`");
    await conn.query("ALTER TABLE `Domain` DROP FOREIGN KEY `Domain_siteId_fkey`");
    await conn.query("ALTER TABLE `Account` DROP INDEX `Account_path_idx`");
    const actual = await actualSchema(conn, db.name);
    expect(actual).not.toEqual(expected);
    expect(actual.ChangeLog?.columns.actorIp).toBeUndefined();
    expect(actual.Domain?.foreignKeys.Domain_siteId_fkey).toBeUndefined();
    expect(actual.Account?.indexes.Account_path_idx).toBeUndefined();
  });
});
