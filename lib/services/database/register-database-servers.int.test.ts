import { describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import { LOCAL_MARIADB, LOCAL_POSTGRES, localServers } from "@/prisma/register-database-servers";
import { withTestDatabase } from "@/tests/helpers/db";
import { rejection } from "@/tests/helpers/hosting";
import { registerDatabaseServers } from "./register-database-servers";

const db = withTestDatabase();

describe("registering the local database servers", () => {
  it("derives the machine's servers and the pods' address from the environment", () => {
    const { mariadb, postgres } = localServers({ SITEPOD_SITE_DB_HOST: "10.0.0.2:3307" });
    expect(mariadb).toMatchObject({
      name: LOCAL_MARIADB,
      host: "127.0.0.1",
      port: 3306,
      adminUser: "root",
      podHost: "10.0.0.2",
      podPort: 3307,
    });
    expect(postgres).toMatchObject({
      name: LOCAL_POSTGRES,
      host: "127.0.0.1",
      port: 5432,
      adminUser: "postgres",
      podHost: "10.0.0.2",
      podPort: 5432,
    });
    expect(localServers({}).mariadb).toMatchObject({ podHost: null, podPort: null });
  });

  it("adds them once, keeps the operator's choice to disable one, and changes nothing the second time", async () => {
    const p = db().prisma;
    const { mariadb, postgres } = localServers({
      SITEPOD_LOCAL_POSTGRES_URL: "postgres://postgres:pw@127.0.0.1:5432",
    });
    expect(await registerDatabaseServers({ db: p, servers: [mariadb, postgres] })).toEqual({
      added: [LOCAL_MARIADB, LOCAL_POSTGRES],
      changed: [],
      unchanged: [],
    });
    const pgRow = await p.databaseServer.findUniqueOrThrow({ where: { name: LOCAL_POSTGRES } });
    expect(open(pgRow.adminPasswordCiphertext as string)).toBe("pw");
    await p.databaseServer.update({ where: { name: LOCAL_MARIADB }, data: { enabled: false } });
    const changes = await p.changeLog.count();
    expect(await registerDatabaseServers({ db: p, servers: [mariadb] })).toEqual({
      added: [],
      changed: [],
      unchanged: [LOCAL_MARIADB],
    });
    expect(await p.changeLog.count()).toBe(changes);
    const moved = await registerDatabaseServers({ db: p, servers: [{ ...mariadb, port: 3307 }] });
    expect(moved.changed).toEqual([LOCAL_MARIADB]);
    expect(await p.databaseServer.findUniqueOrThrow({ where: { name: LOCAL_MARIADB } })).toMatchObject({
      port: 3307,
      enabled: false,
    });
  });

  it("refuses a bad entry, writing nothing", async () => {
    const p = db().prisma;
    const before = await p.databaseServer.count();
    const refused = await rejection(
      registerDatabaseServers({
        db: p,
        servers: [{ name: "x", engine: "MYSQL", host: "db:3306", port: 3306, adminUser: "root" }],
      }),
    );
    expect(refused.fieldErrors?.host).toBe("Enter the port in its own field.");
    expect(await p.databaseServer.count()).toBe(before);
  });
});
