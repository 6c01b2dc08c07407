import mariadb from "mariadb";
import { describe, expect, it } from "vitest";
import { prisma } from "@/lib/db";
import { parseDatabaseUrl } from "@/lib/db/migrate";
import { createTestDatabase, withTestDatabase } from "./db";

async function databaseExists(url: string): Promise<boolean> {
  const { database, ...server } = parseDatabaseUrl(url);
  const conn = await mariadb.createConnection(server);
  try {
    const rows = (await conn.query(
      "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
      [database],
    )) as unknown[];
    return rows.length === 1;
  } finally {
    await conn.end();
  }
}

describe("createTestDatabase", () => {
  it("creates a migrated database with a random name and drops it", async () => {
    const db = await createTestDatabase();
    expect(db.name).toMatch(/^sitepod_t_[0-9a-f]{12}$/);
    expect(await db.prisma.account.count()).toBe(0);
    expect(await databaseExists(db.url)).toBe(true);
    await db.drop();
    await db.drop();
    expect(await databaseExists(db.url)).toBe(false);
  });
});

describe("withTestDatabase", () => {
  const db = withTestDatabase();

  it("points the shared lazy client and DATABASE_URL at the test database", async () => {
    expect(process.env.DATABASE_URL).toBe(db().url);
    await db().prisma.user.create({ data: { email: "a@example.test", name: "A", passwordHash: "x" } });
    expect(await prisma.user.count()).toBe(1);
  });
});
