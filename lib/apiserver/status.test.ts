import { afterEach, describe, expect, it, vi } from "vitest";
import { DATABASE_UNAVAILABLE_MESSAGE } from "@/lib/db/unavailable";
import { AppError } from "@/lib/errors";
import { toApiError } from "./status";

const ref = { resource: "sites", kind: "Site", name: "blog" };

afterEach(() => {
  vi.restoreAllMocks();
});

describe("toApiError", () => {
  it("answers a database that does not answer with 503 ServiceUnavailable, logged as a warning", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const err = toApiError(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }), ref);
    expect(err.status.code).toBe(503);
    expect(err.status.reason).toBe("ServiceUnavailable");
    expect(err.status.message).toBe(DATABASE_UNAVAILABLE_MESSAGE);
    expect(JSON.parse(String(write.mock.calls[0]?.[0]))).toMatchObject({
      level: "warn",
      event: "db.unavailable",
      resource: "sites",
      name: "blog",
    });
  });

  it("answers an UNAVAILABLE AppError with 503 and its message", () => {
    const err = toApiError(new AppError("UNAVAILABLE", "The mail server does not answer."), ref);
    expect(err.status.code).toBe(503);
    expect(err.status.message).toBe("The mail server does not answer.");
  });
});
