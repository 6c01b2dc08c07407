import { describe, expect, it } from "vitest";
import {
  DatabaseIdentifierError,
  mysqlAccount,
  mysqlGrantTarget,
  mysqlIdentifier,
  pgIdentifier,
} from "./sql-identifiers";

describe("quoted identifiers", () => {
  it("quotes validated names", () => {
    expect(mysqlIdentifier("acme_shop")).toBe("`acme_shop`");
    expect(pgIdentifier("acme_shop")).toBe('"acme_shop"');
    expect(mysqlAccount("acme_app")).toBe("'acme_app'@'%'");
  });

  it("escapes GRANT's wildcards so a grant covers exactly one database", () => {
    expect(mysqlGrantTarget("acme_shop")).toBe("`acme\\_shop`.*");
  });

  it.each([
    "acme`; DROP DATABASE mysql; --",
    'acme"; DROP ROLE postgres; --',
    "acme'@'%",
    "Acme",
    "acme shop",
    "",
  ])("refuses %j before building any statement", (name) => {
    expect(() => mysqlIdentifier(name)).toThrow(DatabaseIdentifierError);
    expect(() => pgIdentifier(name)).toThrow(DatabaseIdentifierError);
    expect(() => mysqlAccount(name)).toThrow(DatabaseIdentifierError);
  });

  it("applies each engine's length limit", () => {
    expect(() => mysqlAccount("a".repeat(33))).toThrow(/at most 32/);
    expect(() => pgIdentifier("a".repeat(63), "user")).not.toThrow();
    expect(() => pgIdentifier("a".repeat(64))).toThrow(/at most 63/);
    expect(() => mysqlIdentifier("a".repeat(64))).not.toThrow();
  });
});
