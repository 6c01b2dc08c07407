import { describe, expect, it } from "vitest";
import type { SiteDbAdmin } from "./admin";
import { dropSiteDatabase } from "./drop-site-database";
import { ensureSiteDatabase } from "./ensure-site-database";
import {
  assertDatabaseName,
  assertUserName,
  grantDatabasePattern,
  SiteDatabaseIdentifierError,
  userAccount,
} from "./identifiers";

function recordingAdmin(): SiteDbAdmin & { statements: Array<{ sql: string; values?: unknown[] }> } {
  const statements: Array<{ sql: string; values?: unknown[] }> = [];
  return {
    statements,
    async query(sql, values) {
      statements.push(values ? { sql, values } : { sql });
      return [];
    },
    async close() {},
  };
}

describe("site database identifiers", () => {
  it("accepts the names generateSiteSecrets produces", () => {
    expect(assertDatabaseName("sp_blog_1a2b3c4d")).toBe("sp_blog_1a2b3c4d");
    expect(assertUserName("sp_a_very_long_site_name_1a2b3c4d".slice(0, 32))).toHaveLength(32);
  });

  it.each([
    "",
    "Sp_blog",
    "sp-blog",
    "sp blog",
    "sp`blog",
    "sp'blog",
    "sp\\blog",
    "sp%blog",
    "sp_blog;DROP",
    "a".repeat(65),
  ])("rejects database name %j", (name) => {
    expect(() => assertDatabaseName(name)).toThrow(SiteDatabaseIdentifierError);
  });

  it("rejects user names over MySQL's 32 characters or with quotes", () => {
    expect(() => assertUserName("a".repeat(33))).toThrow(SiteDatabaseIdentifierError);
    expect(() => assertUserName("x'@'%")).toThrow(SiteDatabaseIdentifierError);
  });

  it("escapes GRANT's wildcards so a grant covers exactly one database", () => {
    expect(grantDatabasePattern("sp_blog_1a")).toBe("`sp\\_blog\\_1a`");
    expect(userAccount("sp_blog_1a")).toBe("'sp_blog_1a'@'%'");
  });
});

describe("ensureSiteDatabase / dropSiteDatabase statements", () => {
  it("creates, syncs the password with a bound value, and grants on the one database", async () => {
    const admin = recordingAdmin();
    await ensureSiteDatabase({ admin, name: "sp_blog_1a", user: "sp_blog_1a", password: "p'w\"d" });
    expect(admin.statements).toEqual([
      {
        sql: "CREATE DATABASE IF NOT EXISTS `sp_blog_1a` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
      },
      { sql: "CREATE USER IF NOT EXISTS 'sp_blog_1a'@'%' IDENTIFIED BY ?", values: ["p'w\"d"] },
      { sql: "ALTER USER 'sp_blog_1a'@'%' IDENTIFIED BY ?", values: ["p'w\"d"] },
      { sql: "GRANT ALL PRIVILEGES ON `sp\\_blog\\_1a`.* TO 'sp_blog_1a'@'%'" },
    ]);
  });

  it("runs nothing for an invalid identifier", async () => {
    const admin = recordingAdmin();
    await expect(
      ensureSiteDatabase({ admin, name: "x`; DROP DATABASE mysql; --", user: "u", password: "p" }),
    ).rejects.toThrow(SiteDatabaseIdentifierError);
    await expect(dropSiteDatabase({ admin, name: "ok", user: "bad user" })).rejects.toThrow(
      SiteDatabaseIdentifierError,
    );
    expect(admin.statements).toEqual([]);
  });

  it("drops the database and the user", async () => {
    const admin = recordingAdmin();
    await dropSiteDatabase({ admin, name: "sp_blog_1a", user: "sp_blog_1a" });
    expect(admin.statements.map((s) => s.sql)).toEqual([
      "DROP DATABASE IF EXISTS `sp_blog_1a`",
      "DROP USER IF EXISTS 'sp_blog_1a'@'%'",
    ]);
  });
});
