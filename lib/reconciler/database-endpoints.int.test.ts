import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import { registeredDatabaseEndpoints } from "./database-endpoints";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe("registeredDatabaseEndpoints", () => {
  it("answers where pods reach each server, the pod address first, once each, sorted", async () => {
    expect(await registeredDatabaseEndpoints(db.prisma)).toEqual([]);
    const base = { adminUser: "root", engine: "MYSQL" as const };
    await db.prisma.databaseServer.createMany({
      data: [
        { ...base, name: "a", host: "127.0.0.1", port: 3306, podHost: "10.0.0.2", podPort: null },
        { ...base, name: "b", host: "10.0.0.2", port: 3306 },
        {
          ...base,
          name: "c",
          host: "127.0.0.1",
          port: 5432,
          engine: "POSTGRESQL",
          podHost: "pg.db.svc",
          podPort: 5433,
        },
        { ...base, name: "d", host: "fd00::7", port: 3306 },
      ],
    });
    expect(await registeredDatabaseEndpoints(db.prisma)).toEqual([
      "10.0.0.2:3306",
      "[fd00::7]:3306",
      "pg.db.svc:5433",
    ]);
  });
});
