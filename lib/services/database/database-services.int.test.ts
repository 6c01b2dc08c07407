/**
 * The database services against a real MariaDB (rows only: no server is touched here; the
 * reconciler's own tests create things on the machine's servers).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { open } from "@/lib/crypto/secret-box";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { assignPlan } from "@/lib/services/plan/assign-plan";
import { createPlan } from "@/lib/services/plan/create-plan";
import { createSite } from "@/lib/services/site/create-site";
import { withTestDatabase } from "@/tests/helpers/db";
import { createHostingTree, type HostingTree, limits, rejection } from "@/tests/helpers/hosting";
import { attachDatabaseToSite } from "./attach-database-to-site";
import { createDatabase } from "./create-database";
import { createDatabaseServer } from "./create-database-server";
import { createDatabaseUser } from "./create-database-user";
import { deleteDatabase } from "./delete-database";
import { deleteDatabaseUser } from "./delete-database-user";
import { detachDatabaseFromSite } from "./detach-database-from-site";
import { grantDatabaseAccess } from "./grant-database-access";
import { listDatabaseServers } from "./list-database-servers";
import { listDatabases } from "./list-databases";
import { resetDatabaseUserPassword } from "./reset-database-user-password";
import { revokeDatabaseAccess } from "./revoke-database-access";
import { updateDatabaseServer } from "./update-database-server";

const db = withTestDatabase();
let p: PrismaClient;
let t: HostingTree;
let mysqlServerId: string;
let pgServerId: string;

/** Every table these services write, with the change log: equal before and after = nothing written. */
async function snapshot(): Promise<string> {
  const [databases, users, grants, changes, servers] = await Promise.all([
    p.database.findMany({ orderBy: { id: "asc" } }),
    p.databaseUser.findMany({ orderBy: { id: "asc" } }),
    p.databaseGrant.findMany({ orderBy: { id: "asc" } }),
    p.changeLog.count(),
    p.databaseServer.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ databases, users, grants, changes, servers }, (_k, v) =>
    typeof v === "bigint" ? v.toString() : v,
  );
}

const acme = () => ({ userId: t.acmeOwner.id, ip: "198.51.100.7" });

beforeAll(async () => {
  p = db().prisma;
  t = await createHostingTree(p);
  // Two databases in all: one WordPress site's own, and one more.
  const plan = await createPlan({
    actor: { userId: t.resAAdmin.id },
    ownerAccountId: t.resA.id,
    input: { name: "Two databases", ...limits({ maxDatabases: 2 }) },
  });
  await assignPlan({ actor: { userId: t.resAAdmin.id }, accountId: t.acme.id, input: { planId: plan.id } });
  const operator = { userId: t.platformOwner.id };
  mysqlServerId = (
    await createDatabaseServer({
      actor: operator,
      input: { name: "MariaDB", engine: "MYSQL", host: "127.0.0.1", port: 3306, adminUser: "root" },
    })
  ).id;
  pgServerId = (
    await createDatabaseServer({
      actor: operator,
      input: {
        name: "PostgreSQL",
        engine: "POSTGRESQL",
        host: "127.0.0.1",
        port: 5432,
        adminUser: "postgres",
        adminPassword: "s3cret admin",
      },
    })
  ).id;
});

describe("database servers (the platform operator's)", () => {
  it("seals the admin password and never sends it back", async () => {
    const row = await p.databaseServer.findUniqueOrThrow({ where: { id: pgServerId } });
    expect(row.adminPasswordCiphertext).not.toContain("s3cret");
    expect(open(row.adminPasswordCiphertext as string)).toBe("s3cret admin");
    const servers = await listDatabaseServers({ actor: { userId: t.platformOwner.id } });
    expect(JSON.stringify(servers)).not.toContain("s3cret");
    expect(servers.find((s) => s.id === pgServerId)).toMatchObject({
      hasAdminPassword: true,
      reachable: null,
    });
  });

  it("keeps the stored password when a change leaves it out", async () => {
    const before = await p.databaseServer.findUniqueOrThrow({ where: { id: pgServerId } });
    const view = await updateDatabaseServer({
      actor: { userId: t.platformOwner.id },
      serverId: pgServerId,
      input: { podHost: "postgres.sitepod-system.svc" },
    });
    expect(view.podHost).toBe("postgres.sitepod-system.svc");
    const after = await p.databaseServer.findUniqueOrThrow({ where: { id: pgServerId } });
    expect(after.adminPasswordCiphertext).toBe(before.adminPasswordCiphertext);
  });

  it("refuses everyone but the operator, writing nothing", async () => {
    const before = await snapshot();
    const refused = await rejection(
      createDatabaseServer({
        actor: { userId: t.resAAdmin.id },
        input: { name: "Mine", engine: "MYSQL", host: "10.0.0.5", port: 3306, adminUser: "root" },
      }),
    );
    expect(refused.code).toBe("NOT_FOUND");
    expect((await rejection(listDatabaseServers({ actor: { userId: t.acmeOwner.id } }))).code).toBe(
      "NOT_FOUND",
    );
    expect(await snapshot()).toBe(before);
  });
});

describe("databases and users", () => {
  let databaseId: string;
  let databaseName: string;

  it("prefixes names with the account's and starts them Provisioning", async () => {
    const view = await createDatabase({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: mysqlServerId, name: "Shop" },
    });
    expect(view).toMatchObject({
      name: "acme_shop",
      engine: "MYSQL",
      state: "PROVISIONING",
      serverName: "MariaDB",
    });
    databaseId = view.id;
    databaseName = view.name;
    const change = await p.changeLog.findFirstOrThrow({ where: { kind: "Database", objectId: view.id } });
    expect(change).toMatchObject({ action: "CREATED", accountId: t.acme.id, actorUserId: t.acmeOwner.id });
  });

  it("refuses a bad name with a message on the field, writing nothing", async () => {
    const before = await snapshot();
    const quote = await rejection(
      createDatabase({
        actor: acme(),
        accountId: t.acme.id,
        input: { serverId: mysqlServerId, name: "x'; DROP" },
      }),
    );
    expect(quote.code).toBe("INVALID_INPUT");
    expect(quote.fieldErrors?.name).toMatch(/cannot contain quotes, backticks, semicolons/);
    const long = await rejection(
      createDatabaseUser({
        actor: acme(),
        accountId: t.acme.id,
        input: { serverId: mysqlServerId, name: "a".repeat(30) },
      }),
    );
    expect(long.fieldErrors?.name).toBe(
      "With the prefix acme_, a user name can have at most 27 characters on this server (MySQL / MariaDB allows 32 in all).",
    );
    const noServer = await rejection(
      createDatabase({
        actor: acme(),
        accountId: t.acme.id,
        input: { serverId: "nosuchserver", name: "ok" },
      }),
    );
    expect(noServer.fieldErrors?.serverId).toBe("Choose a database server.");
    const taken = await rejection(
      createDatabase({
        actor: acme(),
        accountId: t.acme.id,
        input: { serverId: mysqlServerId, name: "shop" },
      }),
    );
    expect(taken).toMatchObject({
      code: "CONFLICT",
      fieldErrors: { name: "A database named acme_shop already exists on this server." },
    });
    expect(await snapshot()).toBe(before);
  });

  it("counts a WordPress site's own database against maxDatabases, and refuses past it, writing nothing", async () => {
    await createSite({
      actor: acme(),
      accountId: t.acme.id,
      input: { name: "blog", domain: "blog.acme.test" },
    });
    const listed = await listDatabases({ actor: { userId: t.acmeViewer.id }, accountId: t.acme.id });
    expect(listed.usage).toEqual({ used: 2, limit: 2, siteDatabases: 1 });
    const before = await snapshot();
    const refused = await rejection(
      createDatabase({
        actor: acme(),
        accountId: t.acme.id,
        input: { serverId: pgServerId, name: "analytics" },
      }),
    );
    expect(refused.code).toBe("LIMIT_EXCEEDED");
    // The list shows one database: the message says where the other one is.
    expect(refused.message).toBe(
      "Your plan allows 2 databases; you have 2, 1 of them the own database of a WordPress site. Upgrade the plan or delete a database.",
    );
    expect(await snapshot()).toBe(before);
  });

  it("creates a user with a password shown once and stored sealed, grants and revokes", async () => {
    const { user, password } = await createDatabaseUser({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: mysqlServerId, name: "app" },
    });
    expect(user.name).toBe("acme_app");
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const row = await p.databaseUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordCiphertext).not.toContain(password);
    expect(open(row.passwordCiphertext)).toBe(password);
    const listed = await listDatabases({ actor: acme(), accountId: t.acme.id });
    expect(JSON.stringify(listed)).not.toContain(password);

    const granted = await grantDatabaseAccess({ actor: acme(), databaseId, input: { userId: user.id } });
    expect(granted.grants).toEqual([
      { userId: user.id, userName: "acme_app", pending: true, revoking: false },
    ]);
    const twice = await rejection(
      grantDatabaseAccess({ actor: acme(), databaseId, input: { userId: user.id } }),
    );
    expect(twice.code).toBe("CONFLICT");
    const revoked = await revokeDatabaseAccess({ actor: acme(), databaseId, databaseUserId: user.id });
    expect(revoked.grants[0]).toMatchObject({ revoking: true });
  });

  it("refuses a grant across servers", async () => {
    const { user } = await createDatabaseUser({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: pgServerId, name: "reporting" },
    });
    const refused = await rejection(
      grantDatabaseAccess({ actor: acme(), databaseId, input: { userId: user.id } }),
    );
    expect(refused.fieldErrors?.userId).toMatch(/on another server/);
  });

  it("resets a password: new one returned once, generation bumped", async () => {
    const user = await p.databaseUser.findFirstOrThrow({ where: { name: "acme_app" } });
    const { password } = await resetDatabaseUserPassword({ actor: acme(), databaseUserId: user.id });
    const after = await p.databaseUser.findUniqueOrThrow({ where: { id: user.id } });
    expect(open(after.passwordCiphertext)).toBe(password);
    expect(after.generation).toBe(user.generation + 1);
  });

  it("refuses a password reset racing a deletion with CONFLICT, changing nothing", async () => {
    const user = await p.databaseUser.findFirstOrThrow({ where: { name: "acme_app" } });
    await deleteDatabaseUser({ actor: acme(), databaseUserId: user.id });
    const before = await snapshot();
    const refused = await rejection(resetDatabaseUserPassword({ actor: acme(), databaseUserId: user.id }));
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: "This database user is being deleted: its password can no longer be reset.",
    });
    expect(await snapshot()).toBe(before);
  });

  it("deletes a database only with its name typed, and marks it for the reconciler", async () => {
    const before = await snapshot();
    const wrong = await rejection(deleteDatabase({ actor: acme(), databaseId, input: { confirm: "shop" } }));
    expect(wrong.fieldErrors?.confirm).toBe(`Type ${databaseName} to confirm the deletion.`);
    expect(await snapshot()).toBe(before);
    const view = await deleteDatabase({ actor: acme(), databaseId, input: { confirm: databaseName } });
    expect(view.state).toBe("DELETING");
    const row = await p.database.findUniqueOrThrow({ where: { id: databaseId } });
    expect(row.deletionRequestedAt).not.toBeNull();
    // A database being deleted no longer counts: the owner has given it up.
    const listed = await listDatabases({ actor: acme(), accountId: t.acme.id });
    expect(listed.usage.used).toBe(1);
  });
});

describe("cross-account access", () => {
  it("answers NOT_FOUND for another account's databases and users, writing nothing", async () => {
    const globexOwner = { userId: t.resBAdmin.id };
    const acmeDb = await createDatabase({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: pgServerId, name: "crm" },
    });
    const globexUser = await createDatabaseUser({
      actor: globexOwner,
      accountId: t.globex.id,
      input: { serverId: pgServerId, name: "thief" },
    });
    const acmeUser = await p.databaseUser.findFirstOrThrow({ where: { name: "acme_reporting" } });
    const before = await snapshot();
    // Called one at a time: a refusal must not race the others.
    const calls: Array<() => Promise<unknown>> = [
      () => listDatabases({ actor: globexOwner, accountId: t.acme.id }),
      () =>
        createDatabase({
          actor: globexOwner,
          accountId: t.acme.id,
          input: { serverId: pgServerId, name: "x" },
        }),
      () => deleteDatabase({ actor: globexOwner, databaseId: acmeDb.id, input: { confirm: acmeDb.name } }),
      () =>
        grantDatabaseAccess({
          actor: globexOwner,
          databaseId: acmeDb.id,
          input: { userId: globexUser.user.id },
        }),
      () => resetDatabaseUserPassword({ actor: globexOwner, databaseUserId: acmeUser.id }),
      () => deleteDatabaseUser({ actor: globexOwner, databaseUserId: acmeUser.id }),
      // Acme's owner naming Globex's user: as if it did not exist.
      () =>
        grantDatabaseAccess({ actor: acme(), databaseId: acmeDb.id, input: { userId: globexUser.user.id } }),
    ];
    for (const call of calls) expect((await rejection(call())).code).toBe("NOT_FOUND");
    const viewer = await rejection(
      createDatabase({
        actor: { userId: t.acmeViewer.id },
        accountId: t.acme.id,
        input: { serverId: pgServerId, name: "v" },
      }),
    );
    expect(viewer.code).toBe("FORBIDDEN");
    expect(await snapshot()).toBe(before);
  });
});

describe("giving a database to a site", () => {
  beforeAll(async () => {
    // Room for more databases than the limit tests above left.
    const account = await p.account.findUniqueOrThrow({ where: { id: t.acme.id } });
    await p.plan.update({ where: { id: account.planId as string }, data: { maxDatabases: 10 } });
  });

  it("needs a user with access, bumps the site's generation, and holds the database until taken back", async () => {
    const database = await createDatabase({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: pgServerId, name: "store" },
    });
    const { user } = await createDatabaseUser({
      actor: acme(),
      accountId: t.acme.id,
      input: { serverId: pgServerId, name: "store_app" },
    });
    const site = await p.site.findFirstOrThrow({ where: { accountId: t.acme.id, name: "blog" } });

    const before = await snapshot();
    const noAccess = await rejection(
      attachDatabaseToSite({
        actor: acme(),
        siteId: site.id,
        input: { databaseId: database.id, userId: user.id },
      }),
    );
    expect(noAccess.fieldErrors?.userId).toBe(
      "acme_store_app has no access to acme_store: give it access first.",
    );
    const badPrefix = await rejection(
      attachDatabaseToSite({
        actor: acme(),
        siteId: site.id,
        input: { databaseId: database.id, userId: user.id, envPrefix: "shop-" },
      }),
    );
    expect(badPrefix.fieldErrors?.envPrefix).toMatch(/ending with _/);
    expect(await snapshot()).toBe(before);

    await grantDatabaseAccess({ actor: acme(), databaseId: database.id, input: { userId: user.id } });
    const attached = await attachDatabaseToSite({
      actor: acme(),
      siteId: site.id,
      input: { databaseId: database.id, userId: user.id, envPrefix: "store_" },
    });
    expect(attached).toMatchObject({
      envPrefix: "STORE_",
      databaseName: "acme_store",
      userName: "acme_store_app",
    });
    const bumped = await p.site.findUniqueOrThrow({ where: { id: site.id } });
    expect(bumped.generation).toBe(site.generation + 1);
    const again = await rejection(
      attachDatabaseToSite({
        actor: acme(),
        siteId: site.id,
        input: { databaseId: database.id, userId: user.id, envPrefix: "STORE_" },
      }),
    );
    expect(again.code).toBe("CONFLICT");

    const held = await rejection(
      deleteDatabase({ actor: acme(), databaseId: database.id, input: { confirm: "acme_store" } }),
    );
    expect(held.message).toMatch(/is given to blog: detach it from the site first/);
    const userHeld = await rejection(deleteDatabaseUser({ actor: acme(), databaseUserId: user.id }));
    expect(userHeld.code).toBe("CONFLICT");

    await detachDatabaseFromSite({ actor: acme(), siteId: site.id, attachmentId: attached.id });
    expect(await p.siteDatabaseAttachment.count({ where: { siteId: site.id } })).toBe(0);
    await deleteDatabase({ actor: acme(), databaseId: database.id, input: { confirm: "acme_store" } });
  });

  it("refuses another account's database as not found", async () => {
    const site = await p.site.findFirstOrThrow({ where: { accountId: t.acme.id, name: "blog" } });
    const theirs = await createDatabase({
      actor: { userId: t.resBAdmin.id },
      accountId: t.globex.id,
      input: { serverId: pgServerId, name: "loot" },
    });
    const theirUser = await p.databaseUser.findFirstOrThrow({ where: { accountId: t.globex.id } });
    const refused = await rejection(
      attachDatabaseToSite({
        actor: acme(),
        siteId: site.id,
        input: { databaseId: theirs.id, userId: theirUser.id },
      }),
    );
    expect(refused).toMatchObject({ code: "NOT_FOUND", fieldErrors: { databaseId: "Database not found." } });
  });
});
