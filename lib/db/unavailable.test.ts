import { describe, expect, it } from "vitest";
import { DATABASE_UNAVAILABLE_DIGEST, isDatabaseUnavailable, markDatabaseUnavailable } from "./unavailable";

/** A PrismaClientKnownRequestError's fields, as Prisma 7 fills them (the class is not needed). */
function prismaError(code: string, message: string, meta?: Record<string, unknown>) {
  return Object.assign(new Error(message), { name: "PrismaClientKnownRequestError", code, meta });
}

/** The adapter's wrapping of a mariadb driver error, as seen with the server stopped. */
function adapterMeta(cause: Record<string, unknown>) {
  return { modelName: "Account", driverAdapterError: { name: "DriverAdapterError", cause } };
}

const POOL_TIMEOUT = {
  originalCode: "45028",
  originalMessage: "pool timeout: failed to retrieve a connection from pool after 10000ms",
  kind: "mysql",
  code: 45028,
  message: "pool timeout: failed to retrieve a connection from pool after 10000ms",
  state: "HY000",
  cause: "connect ECONNREFUSED 127.0.0.1:33071",
};

describe("isDatabaseUnavailable", () => {
  it("recognises a model query that found no connection (P2039 wrapping the driver's pool timeout)", () => {
    expect(isDatabaseUnavailable(prismaError("P2039", "Invalid `count()`", adapterMeta(POOL_TIMEOUT)))).toBe(
      true,
    );
  });

  it("recognises a raw query that found no connection (P2010)", () => {
    expect(isDatabaseUnavailable(prismaError("P2010", "Raw query failed", adapterMeta(POOL_TIMEOUT)))).toBe(
      true,
    );
  });

  it("recognises a transaction that could not start in time (P2028)", () => {
    const err = prismaError(
      "P2028",
      "Transaction API error: Unable to start a transaction in the given time.",
    );
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it("does not count other transaction API errors (a transaction that ran past its timeout)", () => {
    const err = prismaError(
      "P2028",
      "Transaction API error: Transaction already closed: A commit cannot be executed on an expired transaction.",
    );
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it("recognises a connection cut under a query in flight (EPIPE, ECONNRESET)", () => {
    expect(isDatabaseUnavailable(prismaError("EPIPE", "write EPIPE"))).toBe(true);
    expect(isDatabaseUnavailable(prismaError("ECONNRESET", "read ECONNRESET"))).toBe(true);
  });

  it("recognises the mariadb driver's own errors and server shutdown", () => {
    const sqlError = (errno: number) =>
      Object.assign(new Error("x"), { name: "SqlError", errno, sqlState: "08S01" });
    expect(isDatabaseUnavailable(sqlError(45009))).toBe(true);
    expect(isDatabaseUnavailable(sqlError(45028))).toBe(true);
    expect(isDatabaseUnavailable(sqlError(1053))).toBe(true);
    expect(isDatabaseUnavailable(sqlError(1927))).toBe(true);
  });

  it("recognises too many connections, however the adapter names it", () => {
    const cause = { kind: "TooManyConnections", cause: "Too many connections", originalCode: "1040" };
    expect(isDatabaseUnavailable(prismaError("P2037", "Too many connections", adapterMeta(cause)))).toBe(
      true,
    );
  });

  it("follows causes (an error wrapping the driver's)", () => {
    const inner = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:3306"), { code: "ECONNREFUSED" });
    expect(isDatabaseUnavailable(new Error("wrapped", { cause: inner }))).toBe(true);
  });

  it("leaves every other failure alone", () => {
    expect(isDatabaseUnavailable(undefined)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
    expect(isDatabaseUnavailable(new Error("connection refused to 10.0.0.1"))).toBe(false);
    // A unique constraint, a missing table, a duplicate entry from the driver: bugs or conflicts.
    expect(isDatabaseUnavailable(prismaError("P2002", "Unique constraint failed"))).toBe(false);
    const duplicate = { kind: "mysql", code: 1062, originalCode: "1062", message: "Duplicate entry" };
    expect(isDatabaseUnavailable(prismaError("P2010", "Raw query failed", adapterMeta(duplicate)))).toBe(
      false,
    );
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { errno: 1146 }))).toBe(false);
  });

  it("stops on a cycle of causes", () => {
    const a: Error & { cause?: unknown } = new Error("a");
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});

describe("markDatabaseUnavailable", () => {
  it("gives a database-unavailable error the digest the error page knows, and leaves others alone", () => {
    const down = markDatabaseUnavailable(prismaError("EPIPE", "write EPIPE"));
    expect((down as { digest?: string }).digest).toBe(DATABASE_UNAVAILABLE_DIGEST);
    const other = markDatabaseUnavailable(prismaError("P2002", "Unique constraint failed"));
    expect("digest" in other).toBe(false);
    // Next.js' own errors (redirect, notFound) carry their digest: it is never replaced.
    const redirect = Object.assign(prismaError("EPIPE", "x"), {
      digest: "NEXT_REDIRECT;replace;/sign-in;307;",
    });
    expect(markDatabaseUnavailable(redirect).digest).toBe("NEXT_REDIRECT;replace;/sign-in;307;");
  });
});
