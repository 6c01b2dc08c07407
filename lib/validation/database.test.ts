import { describe, expect, it } from "vitest";
import {
  accountDatabasePrefix,
  attachDatabaseSchema,
  createDatabaseSchema,
  createDatabaseServerSchema,
  createDatabaseUserSchema,
  identifierProblem,
  prefixedNameProblem,
} from "./database";

function fieldMessage(
  result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } },
  field: string,
) {
  return result.error?.issues.find((i) => i.path[0] === field)?.message;
}

describe("database names the owner types", () => {
  it.each(["shop", "shop_2", "2024", "a"])("accepts %j", (name) => {
    expect(createDatabaseSchema.safeParse({ serverId: "srv1", name }).success).toBe(true);
  });

  it("lower-cases and trims", () => {
    expect(createDatabaseSchema.parse({ serverId: "srv1", name: "  Shop_2 " }).name).toBe("shop_2");
  });

  it.each([
    "shop'; DROP DATABASE mysql; --",
    "sh`op",
    'sh"op',
    "shop;",
    "sh\\op",
    "shop%",
    "sh*p",
    "my shop",
    "my-shop",
    "shop\n",
  ])("refuses SQL metacharacters in %j with a clear message", (name) => {
    const result = createDatabaseSchema.safeParse({ serverId: "srv1", name: `${name}x` });
    expect(result.success).toBe(false);
    expect(fieldMessage(result, "name")).toMatch(/cannot contain quotes, backticks, semicolons/);
  });

  it("refuses other characters", () => {
    const result = createDatabaseUserSchema.safeParse({ serverId: "srv1", name: "café" });
    expect(fieldMessage(result, "name")).toBe(
      "Use only letters, digits and underscores in a user name (e.g. shop_2).",
    );
  });

  it("asks for a name and a server", () => {
    const result = createDatabaseSchema.safeParse({ name: "" });
    expect(fieldMessage(result, "name")).toBe("Enter a database name.");
    expect(fieldMessage(result, "serverId")).toBe("Choose a database server.");
  });
});

describe("full names per engine", () => {
  it("holds MySQL to 64 characters for databases and 32 for users", () => {
    expect(identifierProblem("MYSQL", "database", "a".repeat(64))).toBeNull();
    expect(identifierProblem("MYSQL", "database", "a".repeat(65))).toMatch(/at most 64 characters/);
    expect(identifierProblem("MYSQL", "user", "a".repeat(32))).toBeNull();
    expect(identifierProblem("MYSQL", "user", "a".repeat(33))).toMatch(/at most 32 characters/);
  });

  it("holds PostgreSQL to 63 characters and keeps pg_ for itself", () => {
    expect(identifierProblem("POSTGRESQL", "database", "a".repeat(63))).toBeNull();
    expect(identifierProblem("POSTGRESQL", "database", "a".repeat(64))).toMatch(/at most 63 characters/);
    expect(identifierProblem("POSTGRESQL", "user", "a".repeat(64))).toMatch(/at most 63 characters/);
    expect(identifierProblem("POSTGRESQL", "user", "pg_acme")).toMatch(/reserves names starting with pg_/);
    expect(identifierProblem("MYSQL", "user", "pg_acme")).toBeNull();
  });

  it.each(["", "Acme_shop", "acme-shop", "acme`shop", "acme shop", "acme_shop;"])(
    "refuses %j on either engine",
    (name) => {
      expect(identifierProblem("MYSQL", "database", name)).toMatch(/not a valid database name/);
      expect(identifierProblem("POSTGRESQL", "database", name)).toMatch(/not a valid database name/);
    },
  );

  it("says how much room the prefix leaves", () => {
    expect(prefixedNameProblem("MYSQL", "user", "acme_", "a".repeat(28))).toBe(
      "With the prefix acme_, a user name can have at most 27 characters on this server (MySQL / MariaDB allows 32 in all).",
    );
    expect(prefixedNameProblem("POSTGRESQL", "user", "acme_", "a".repeat(28))).toBeNull();
  });
});

describe("account prefixes", () => {
  it("uses the slug with underscores", () => {
    expect(accountDatabasePrefix("acme")).toBe("acme_");
    expect(accountDatabasePrefix("acme-web")).toBe("acme_web_");
  });

  it("shortens long slugs with a hash, so two long slugs with one start differ", () => {
    const a = accountDatabasePrefix("acme-industries-east");
    const b = accountDatabasePrefix("acme-industries-west");
    expect(a).toMatch(/^acme_i_[0-9a-f]{4}_$/);
    expect(a.length).toBeLessThanOrEqual(12);
    expect(a).not.toBe(b);
  });
});

describe("database servers and attachments", () => {
  it("validates the operator's server form", () => {
    const ok = createDatabaseServerSchema.parse({
      name: "Local MariaDB",
      engine: "MYSQL",
      host: "127.0.0.1",
      port: "3306",
      adminUser: "root",
      adminPassword: "",
      podHost: "",
    });
    expect(ok).toMatchObject({
      port: 3306,
      adminPassword: null,
      podHost: null,
      podPort: null,
      enabled: true,
    });
    const bad = createDatabaseServerSchema.safeParse({
      name: "x",
      engine: "ORACLE",
      host: "mysql://db:3306",
      port: 70000,
      adminUser: "root'--",
    });
    expect(fieldMessage(bad, "engine")).toBe("Choose MySQL / MariaDB or PostgreSQL.");
    expect(fieldMessage(bad, "host")).toMatch(/without a scheme/);
    expect(fieldMessage(bad, "port")).toBe("Enter a port number between 1 and 65535.");
    expect(fieldMessage(bad, "adminUser")).toMatch(/Use letters, digits/);
  });

  it("takes an empty or upper-case env prefix ending in _", () => {
    expect(attachDatabaseSchema.parse({ databaseId: "d1", userId: "u1" }).envPrefix).toBe("");
    expect(
      attachDatabaseSchema.parse({ databaseId: "d1", userId: "u1", envPrefix: "analytics_" }).envPrefix,
    ).toBe("ANALYTICS_");
    const bad = attachDatabaseSchema.safeParse({ databaseId: "d1", userId: "u1", envPrefix: "A-B" });
    expect(fieldMessage(bad, "envPrefix")).toMatch(/ending with _/);
  });
});
