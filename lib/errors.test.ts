import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DATABASE_UNAVAILABLE_MESSAGE } from "./db/unavailable";
import { AppError, httpStatusFor, INTERNAL_ERROR_MESSAGE, toAppError } from "./errors";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("AppError", () => {
  it("maps codes to HTTP statuses", () => {
    expect(httpStatusFor("UNAUTHENTICATED")).toBe(401);
    expect(httpStatusFor("FORBIDDEN")).toBe(403);
    expect(httpStatusFor("NOT_FOUND")).toBe(404);
    expect(httpStatusFor("INVALID_INPUT")).toBe(400);
    expect(httpStatusFor("CONFLICT")).toBe(409);
    expect(httpStatusFor("LIMIT_EXCEEDED")).toBe(429);
    expect(httpStatusFor("UNAVAILABLE")).toBe(503);
    expect(httpStatusFor("TOKEN_INVALID")).toBe(401);
    expect(httpStatusFor("TOKEN_REVOKED")).toBe(401);
    expect(httpStatusFor("TOKEN_EXPIRED")).toBe(401);
    expect(httpStatusFor("INTERNAL")).toBe(500);
    expect(new AppError("CONFLICT", "taken").httpStatus).toBe(409);
  });

  it("serialises code, message and field errors only", () => {
    const err = new AppError("CONFLICT", "taken", { name: "in use" }, { cause: new Error("db") });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: "CONFLICT",
      message: "taken",
      fieldErrors: { name: "in use" },
    });
  });
});

describe("toAppError", () => {
  it("passes AppErrors through", () => {
    const err = new AppError("NOT_FOUND", "Site not found.");
    expect(toAppError(err)).toBe(err);
  });

  it("turns a ZodError into INVALID_INPUT with the first message per field", () => {
    const schema = z.object({ name: z.string().min(3, "Too short."), nested: z.object({ n: z.number() }) });
    const result = schema.safeParse({ name: "a", nested: { n: "x" } });
    expect(result.success).toBe(false);
    const err = toAppError(result.error);
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.fieldErrors?.name).toBe("Too short.");
    expect(err.fieldErrors?.["nested.n"]).toBeTypeOf("string");
  });

  it("logs unknown errors with context and hides their message", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const err = toAppError(new Error("connection refused to 10.0.0.1"), { route: "POST /sites" });
    expect(err.code).toBe("INTERNAL");
    expect(err.message).toBe(INTERNAL_ERROR_MESSAGE);
    const logged = JSON.parse(String(write.mock.calls[0]?.[0]));
    expect(logged).toMatchObject({
      level: "error",
      route: "POST /sites",
      err: { message: "connection refused to 10.0.0.1" },
    });
  });

  it("turns a database that does not answer into UNAVAILABLE, logged as a warning with context", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const cause = Object.assign(
      new Error("Transaction API error: Unable to start a transaction in the given time."),
      {
        code: "P2028",
      },
    );
    const err = toAppError(cause, { route: "POST /api/v1/accounts/{slug}/sites", userId: "u1" });
    expect(err.code).toBe("UNAVAILABLE");
    expect(err.httpStatus).toBe(503);
    expect(err.message).toBe(DATABASE_UNAVAILABLE_MESSAGE);
    expect(err.cause).toBe(cause);
    const logged = JSON.parse(String(write.mock.calls[0]?.[0]));
    expect(logged).toMatchObject({
      level: "warn",
      msg: "database unavailable",
      event: "db.unavailable",
      route: "POST /api/v1/accounts/{slug}/sites",
      userId: "u1",
      err: { message: cause.message },
    });
  });
});
