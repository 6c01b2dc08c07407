import { describe, expect, it } from "vitest";
import { migrationChecksum, parseDatabaseUrl, splitSqlStatements } from "./migrate";

describe("splitSqlStatements", () => {
  it("splits on semicolons outside quotes and comments, dropping comment-only fragments", () => {
    const script = [
      "-- CreateTable",
      "CREATE TABLE `a;b` (`x` VARCHAR(3) NOT NULL DEFAULT ';');",
      "/* block; comment */",
      "INSERT INTO t VALUES ('it''s; fine', \"a\\\"; b\");",
      "# trailing comment;",
      "",
    ].join("\n");
    expect(splitSqlStatements(script)).toEqual([
      "CREATE TABLE `a;b` (`x` VARCHAR(3) NOT NULL DEFAULT ';')",
      "INSERT INTO t VALUES ('it''s; fine', \"a\\\"; b\")",
    ]);
  });

  it("keeps a last statement without a semicolon", () => {
    expect(splitSqlStatements("SELECT 1;\nSELECT 2\n")).toEqual(["SELECT 1", "SELECT 2"]);
  });
});

describe("parseDatabaseUrl", () => {
  it("accepts mysql:// and mariadb:// URLs", () => {
    expect(parseDatabaseUrl("mysql://root@127.0.0.1:3306/sitepod")).toEqual({
      host: "127.0.0.1",
      port: 3306,
      user: "root",
      password: "",
      database: "sitepod",
    });
    expect(parseDatabaseUrl("mariadb://u:p%40ss@db:3307/x_1").password).toBe("p@ss");
  });

  it("refuses names that could inject SQL and other schemes", () => {
    expect(() => parseDatabaseUrl("mysql://root@127.0.0.1/a`;DROP")).toThrow(
      "Invalid or missing database name",
    );
    expect(() => parseDatabaseUrl("mysql://root@127.0.0.1/")).toThrow("Invalid or missing database name");
    expect(() => parseDatabaseUrl("postgres://root@127.0.0.1/x")).toThrow("Unsupported database URL scheme");
  });
});

describe("migrationChecksum", () => {
  it("is the sha256 hex of the bytes, as Prisma records it", () => {
    expect(migrationChecksum("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });
});
