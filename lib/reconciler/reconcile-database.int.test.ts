/**
 * The database reconciler against the machine's real MariaDB (127.0.0.1:3306, root) and
 * PostgreSQL (127.0.0.1:5432, postgres, trust). No Kubernetes. Every database and user made here
 * has a random `zt<hex>_` prefix and is dropped in afterAll, whatever the tests did.
 */
import { randomBytes } from "node:crypto";
import mariadb from "mariadb";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServerAdmin, ServerAdminCache } from "@/lib/db-servers/connect";
import { DatabaseServerUnreachableError } from "@/lib/db-servers/server-admin";
import type { DatabaseEngine, PrismaClient } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { sealDatabasePassword } from "@/lib/services/database/database-secrets";
import { parseConditions } from "@/lib/views";
import { createTestAccount, createTestDatabase, type TestDatabase } from "@/tests/helpers/db";
import {
  checkDatabaseServer,
  type DatabaseReconcileContext,
  reconcileDatabase,
  reconcileDatabaseUser,
} from "./reconcile-database";

const SERVERS: Record<DatabaseEngine, { host: string; port: number; adminUser: string }> = {
  MYSQL: { host: "127.0.0.1", port: 3306, adminUser: "root" },
  POSTGRESQL: { host: "127.0.0.1", port: 5432, adminUser: "postgres" },
};
/** Nothing listens there: connections are refused at once. */
const CLOSED_PORT = 1;

let db: TestDatabase;
let p: PrismaClient;
let accountId: string;
// A short timeout: the mariadb pool retries a refused connection until it runs out.
const admins = new ServerAdminCache((address) => createServerAdmin(address, { timeoutMs: 1_500 }));
const prefix = `zt${randomBytes(3).toString("hex")}_`;
const ctx = (): DatabaseReconcileContext => ({
  prisma: p,
  admins,
  log: log.child({ test: "reconcile-database" }),
  now: () => new Date(),
});

/** Raw admin access for the assertions and the cleanup. */
const mysqlAdmin = mariadb.createPool({ host: "127.0.0.1", port: 3306, user: "root", connectionLimit: 2 });
const pgAdmin = new pg.Pool({
  host: "127.0.0.1",
  port: 5432,
  user: "postgres",
  database: "postgres",
  max: 2,
});

async function cleanup(): Promise<void> {
  const dbs = (await mysqlAdmin.query(
    "SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE ?",
    [`${prefix.replace(/_/g, "\\_")}%`],
  )) as Array<{ name: string }>;
  for (const d of dbs) await mysqlAdmin.query(`DROP DATABASE IF EXISTS \`${d.name}\``);
  const users = (await mysqlAdmin.query("SELECT User AS name FROM mysql.user WHERE User LIKE ?", [
    `${prefix.replace(/_/g, "\\_")}%`,
  ])) as Array<{ name: string }>;
  for (const u of users) await mysqlAdmin.query(`DROP USER IF EXISTS '${u.name}'@'%'`);
  const pgDbs = await pgAdmin.query<{ name: string }>(
    "SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)",
    [prefix],
  );
  for (const d of pgDbs.rows) await pgAdmin.query(`DROP DATABASE IF EXISTS "${d.name}" WITH (FORCE)`);
  const pgRoles = await pgAdmin.query<{ name: string }>(
    "SELECT rolname AS name FROM pg_roles WHERE starts_with(rolname, $1)",
    [prefix],
  );
  for (const r of pgRoles.rows) await pgAdmin.query(`DROP ROLE IF EXISTS "${r.name}"`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  p = db.prisma;
  accountId = (await createTestAccount(p, { slug: `${prefix.slice(0, -1)}-acct` })).id;
});

afterAll(async () => {
  await admins.close();
  await cleanup();
  await mysqlAdmin.end();
  await pgAdmin.end();
  await db?.drop();
});

async function newServer(engine: DatabaseEngine, port = SERVERS[engine].port) {
  return p.databaseServer.create({
    data: { name: `${prefix}${engine}-${randomBytes(2).toString("hex")}`, engine, ...SERVERS[engine], port },
  });
}

const pending = () => [
  {
    type: "Ready",
    status: "False",
    reason: "Pending",
    message: "",
    lastTransitionTime: "",
    observedGeneration: 1,
  },
];

async function newDatabase(serverId: string, suffix: string) {
  return p.database.create({
    data: { accountId, serverId, name: `${prefix}${suffix}`, conditions: pending() },
  });
}

async function newUser(serverId: string, suffix: string, password: string) {
  return p.databaseUser.create({
    data: {
      accountId,
      serverId,
      name: `${prefix}${suffix}`,
      passwordCiphertext: sealDatabasePassword(password),
      conditions: pending(),
    },
  });
}

async function readyOf(kind: "database" | "user", id: string) {
  const row =
    kind === "database"
      ? await p.database.findUnique({ where: { id } })
      : await p.databaseUser.findUnique({ where: { id } });
  return parseConditions(row?.conditions ?? []);
}

interface Probe {
  /** Connects as `user` to `database` and creates a table there; throws when refused. */
  openAndWrite(user: string, password: string, database: string): Promise<void>;
  databaseExists(name: string): Promise<boolean>;
  userExists(name: string): Promise<boolean>;
  createForeignDatabase(name: string): Promise<void>;
  /** Whether `database` holds the table `probe` (the one openAndWrite creates). */
  probeTableExists(database: string): Promise<boolean>;
  /** The user's password is what the server checks (a wrong one is refused). */
  expectPasswordChecked(user: string, password: string, database: string): Promise<void>;
}

const probes: Record<DatabaseEngine, Probe> = {
  MYSQL: {
    async openAndWrite(user, password, database) {
      const conn = await mariadb.createConnection({ host: "127.0.0.1", port: 3306, user, password });
      try {
        await conn.query(`CREATE TABLE IF NOT EXISTS \`${database}\`.probe (id INT PRIMARY KEY)`);
        await conn.query(`INSERT IGNORE INTO \`${database}\`.probe VALUES (1)`);
      } finally {
        await conn.end();
      }
    },
    async databaseExists(name) {
      const rows = (await mysqlAdmin.query(
        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        [name],
      )) as unknown[];
      return rows.length > 0;
    },
    async userExists(name) {
      const rows = (await mysqlAdmin.query("SELECT 1 FROM mysql.user WHERE User = ?", [name])) as unknown[];
      return rows.length > 0;
    },
    async createForeignDatabase(name) {
      await mysqlAdmin.query(`CREATE DATABASE \`${name}\``);
      await mysqlAdmin.query(`CREATE TABLE \`${name}\`.precious (id INT)`);
    },
    async probeTableExists(database) {
      const rows = (await mysqlAdmin.query(
        "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'probe'",
        [database],
      )) as unknown[];
      return rows.length > 0;
    },
    async expectPasswordChecked(user, _password, database) {
      await expect(this.openAndWrite(user, "wrong-password", database)).rejects.toThrow(/denied/i);
    },
  },
  POSTGRESQL: {
    async openAndWrite(user, password, database) {
      const client = new pg.Client({ host: "127.0.0.1", port: 5432, user, password, database });
      client.on("error", () => {});
      await client.connect();
      try {
        await client.query("CREATE TABLE IF NOT EXISTS probe (id INT PRIMARY KEY)");
        await client.query("INSERT INTO probe VALUES (1) ON CONFLICT DO NOTHING");
      } finally {
        await client.end();
      }
    },
    async databaseExists(name) {
      const result = await pgAdmin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      return (result.rowCount ?? 0) > 0;
    },
    async userExists(name) {
      const result = await pgAdmin.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name]);
      return (result.rowCount ?? 0) > 0;
    },
    async createForeignDatabase(name) {
      await pgAdmin.query(`CREATE DATABASE "${name}"`);
    },
    async probeTableExists(database) {
      const client = new pg.Client({ host: "127.0.0.1", port: 5432, user: "postgres", database });
      await client.connect();
      try {
        const result = await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'probe'");
        return (result.rowCount ?? 0) > 0;
      } finally {
        await client.end();
      }
    },
    // The machine's PostgreSQL trusts local connections (any password passes): check instead that
    // the role's stored verifier is the SCRAM hash of exactly this password.
    async expectPasswordChecked(user, password) {
      const result = await pgAdmin.query<{ verifier: string }>(
        "SELECT rolpassword AS verifier FROM pg_authid WHERE rolname = $1",
        [user],
      );
      const verifier = result.rows[0]?.verifier ?? "";
      const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
      expect(match, `a SCRAM verifier for ${user}`).not.toBeNull();
      const [, iterations, salt, storedKey] = match as RegExpExecArray;
      const { pbkdf2Sync, createHmac, createHash } = await import("node:crypto");
      const salted = pbkdf2Sync(
        password,
        Buffer.from(salt as string, "base64"),
        Number(iterations),
        32,
        "sha256",
      );
      const clientKey = createHmac("sha256", salted).update("Client Key").digest();
      expect(createHash("sha256").update(clientKey).digest("base64")).toBe(storedKey);
    },
  },
};

describe.each(["MYSQL", "POSTGRESQL"] as const)("databases on the machine's %s", (engine) => {
  const probe = probes[engine];
  const password = randomBytes(18).toString("base64url");
  let server: Awaited<ReturnType<typeof newServer>>;
  let database: Awaited<ReturnType<typeof newDatabase>>;
  let other: Awaited<ReturnType<typeof newDatabase>>;
  let user: Awaited<ReturnType<typeof newUser>>;

  beforeAll(async () => {
    server = await newServer(engine);
    // `shop` and a lookalike that `_` as a GRANT wildcard would also match.
    database = await newDatabase(server.id, `${engine.toLowerCase()}_shop`);
    other = await newDatabase(server.id, `${engine.toLowerCase()}xshop`);
    user = await newUser(server.id, `${engine.toLowerCase()}_app`, password);
    await p.databaseGrant.create({ data: { databaseId: database.id, userId: user.id } });
  });

  it("records the server as reachable", async () => {
    const result = await checkDatabaseServer(ctx(), server.id);
    expect(result).toMatchObject({ reachable: true, recovered: true });
    const row = await p.databaseServer.findUniqueOrThrow({ where: { id: server.id } });
    expect(parseConditions(row.conditions)[0]).toMatchObject({ status: "True", reason: "Reachable" });
    expect(row.lastCheckedAt).not.toBeNull();
  });

  it("waits for the user before granting, then creates both and grants on the one database", async () => {
    const first = await reconcileDatabase(ctx(), database.id);
    expect(first.outcome).toBe("waiting");
    expect((await readyOf("database", database.id))[0]).toMatchObject({ reason: "WaitingForUser" });
    expect(await probe.databaseExists(database.name)).toBe(true);

    const userPass = await reconcileDatabaseUser(ctx(), user.id);
    expect(userPass).toMatchObject({ outcome: "ready", wakeDatabases: [database.id] });
    expect(await probe.userExists(user.name)).toBe(true);

    expect((await reconcileDatabase(ctx(), database.id)).outcome).toBe("ready");
    expect((await reconcileDatabase(ctx(), other.id)).outcome).toBe("ready");
    const conditions = await readyOf("database", database.id);
    expect(conditions).toEqual([expect.objectContaining({ type: "Ready", status: "True" })]);
    const row = await p.database.findUniqueOrThrow({ where: { id: database.id }, include: { grants: true } });
    expect(row.provisionedAt).not.toBeNull();
    expect(row.sizeBytes).not.toBeNull();
    expect(row.grants[0]?.appliedAt).not.toBeNull();
  });

  it("lets the user work in its database and nowhere else", async () => {
    await probe.openAndWrite(user.name, password, database.name);
    await expect(probe.openAndWrite(user.name, password, other.name)).rejects.toThrow(/denied|permission/i);
    await probe.expectPasswordChecked(user.name, password, database.name);
  });

  it("observes the size, and reconciling again changes nothing", async () => {
    await reconcileDatabase(ctx(), database.id);
    const before = await p.changeLog.count();
    const row = await p.database.findUniqueOrThrow({ where: { id: database.id } });
    expect(Number(row.sizeBytes)).toBeGreaterThan(0);
    expect((await reconcileDatabase(ctx(), database.id)).outcome).toBe("ready");
    expect((await reconcileDatabaseUser(ctx(), user.id)).outcome).toBe("ready");
    expect(await p.changeLog.count()).toBe(before);
  });

  it("sets a reset password on the server, and the sites given the user are woken", async () => {
    const next = randomBytes(18).toString("base64url");
    await p.databaseUser.update({
      where: { id: user.id },
      data: { passwordCiphertext: sealDatabasePassword(next), generation: { increment: 1 } },
    });
    const result = await reconcileDatabaseUser(ctx(), user.id);
    expect(result).toMatchObject({ outcome: "ready", wakeSites: [] });
    const row = await p.databaseUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.observedGeneration).toBe(row.generation);
    await probe.expectPasswordChecked(user.name, next, database.name);
    await probe.openAndWrite(user.name, next, database.name);
    // Back to the first password, for the tests below.
    await p.databaseUser.update({
      where: { id: user.id },
      data: { passwordCiphertext: sealDatabasePassword(password), generation: { increment: 1 } },
    });
    await reconcileDatabaseUser(ctx(), user.id);
  });

  it("revokes a grant on request", async () => {
    await p.databaseGrant.updateMany({
      where: { databaseId: database.id },
      data: { revokeRequestedAt: new Date() },
    });
    await reconcileDatabase(ctx(), database.id);
    expect(await p.databaseGrant.count({ where: { databaseId: database.id } })).toBe(0);
    await expect(probe.openAndWrite(user.name, password, database.name)).rejects.toThrow(
      /denied|permission/i,
    );
    await p.databaseGrant.create({ data: { databaseId: database.id, userId: user.id } });
    await reconcileDatabase(ctx(), database.id);
    await probe.openAndWrite(user.name, password, database.name);
  });

  it("leaves a database it did not create alone: NameTaken, and deleting the row drops nothing", async () => {
    const foreign = `${prefix}${engine.toLowerCase()}_theirs`;
    await probe.createForeignDatabase(foreign);
    const row = await p.database.create({
      data: { accountId, serverId: server.id, name: foreign, conditions: pending() },
    });
    const result = await reconcileDatabase(ctx(), row.id);
    expect(result.outcome).toBe("degraded");
    expect(await readyOf("database", row.id)).toContainEqual(
      expect.objectContaining({ type: "Degraded", status: "True", reason: "NameTaken" }),
    );
    await p.database.update({ where: { id: row.id }, data: { deletionRequestedAt: new Date() } });
    expect((await reconcileDatabase(ctx(), row.id)).outcome).toBe("deleted");
    expect(await p.database.findUnique({ where: { id: row.id } })).toBeNull();
    expect(await probe.databaseExists(foreign)).toBe(true);
  });

  it("is Degraded while its server cannot be reached, and recovers once the address is fixed", async () => {
    const broken = await newServer(engine, CLOSED_PORT);
    const lost = await newDatabase(broken.id, `${engine.toLowerCase()}_lost`);
    await expect(reconcileDatabase(ctx(), lost.id)).rejects.toThrow(DatabaseServerUnreachableError);
    expect(await readyOf("database", lost.id)).toContainEqual(
      expect.objectContaining({ type: "Degraded", status: "True", reason: "ServerUnreachable" }),
    );
    expect(await checkDatabaseServer(ctx(), broken.id)).toMatchObject({ reachable: false, recovered: false });

    await p.databaseServer.update({ where: { id: broken.id }, data: { port: SERVERS[engine].port } });
    expect(await checkDatabaseServer(ctx(), broken.id)).toMatchObject({ reachable: true, recovered: true });
    expect((await reconcileDatabase(ctx(), lost.id)).outcome).toBe("ready");
    expect(await readyOf("database", lost.id)).toEqual([
      expect.objectContaining({ type: "Ready", status: "True" }),
    ]);
    expect(await probe.databaseExists(lost.name)).toBe(true);
  });

  it("marks a user whose stored password cannot be read Degraded, without touching the server", async () => {
    const broken = await p.databaseUser.create({
      data: {
        accountId,
        serverId: server.id,
        name: `${prefix}${engine.toLowerCase()}_broken`,
        passwordCiphertext: "v1.not.a.secret",
        conditions: pending(),
      },
    });
    expect((await reconcileDatabaseUser(ctx(), broken.id)).outcome).toBe("degraded");
    expect(await readyOf("user", broken.id)).toContainEqual(
      expect.objectContaining({ type: "Degraded", reason: "PasswordUnreadable" }),
    );
    expect(await probe.userExists(broken.name)).toBe(false);
  });

  it("drops a user while keeping the tables it created", async () => {
    const owner = await newUser(server.id, `${engine.toLowerCase()}_owner`, password);
    await p.databaseGrant.create({ data: { databaseId: other.id, userId: owner.id } });
    await reconcileDatabaseUser(ctx(), owner.id);
    await reconcileDatabase(ctx(), other.id);
    await probe.openAndWrite(owner.name, password, other.name);
    await p.databaseUser.update({ where: { id: owner.id }, data: { deletionRequestedAt: new Date() } });
    expect((await reconcileDatabaseUser(ctx(), owner.id)).outcome).toBe("deleted");
    expect(await probe.userExists(owner.name)).toBe(false);
    expect(await probe.probeTableExists(other.name)).toBe(true);
  });

  it("drops the database, revoking its grants first, then the user, once their owner deletes them", async () => {
    await p.database.update({ where: { id: database.id }, data: { deletionRequestedAt: new Date() } });
    expect((await reconcileDatabase(ctx(), database.id)).outcome).toBe("deleted");
    expect(await probe.databaseExists(database.name)).toBe(false);
    expect(await p.database.findUnique({ where: { id: database.id } })).toBeNull();
    if (engine === "MYSQL") {
      // No privilege left on the name: a database made with it later is not open to this user.
      const rows = (await mysqlAdmin.query("SELECT Db FROM mysql.db WHERE User = ?", [
        user.name,
      ])) as unknown[];
      expect(rows).toEqual([]);
    }
    // Deleting again finds nothing to do.
    expect((await reconcileDatabase(ctx(), database.id)).outcome).toBe("gone");

    await p.databaseUser.update({ where: { id: user.id }, data: { deletionRequestedAt: new Date() } });
    expect((await reconcileDatabaseUser(ctx(), user.id)).outcome).toBe("deleted");
    expect(await probe.userExists(user.name)).toBe(false);
    expect(await p.databaseUser.findUnique({ where: { id: user.id } })).toBeNull();
  });
});
