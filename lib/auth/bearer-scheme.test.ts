import { describe, expect, it } from "vitest";
import { bearerCredential, hasBearerScheme } from "./bearer-scheme";

describe("bearer headers", () => {
  it("reads the credential of a Bearer header, whatever the scheme's case", () => {
    expect(bearerCredential("Bearer sp_abc")).toBe("sp_abc");
    expect(bearerCredential("bearer   sp_abc  ")).toBe("sp_abc");
    expect(bearerCredential("BEARER sp_abc")).toBe("sp_abc");
  });

  it("finds no credential in an empty, partial or other header", () => {
    for (const header of [
      null,
      undefined,
      "",
      "Bearer",
      "Bearer ",
      "Bearer a b",
      "Basic dXNlcjpwYXNz",
      "Bearersp_abc",
    ]) {
      expect(bearerCredential(header), String(header)).toBeNull();
    }
  });

  it("tells Bearer requests (even malformed ones) from other schemes", () => {
    expect(hasBearerScheme("Bearer sp_abc")).toBe(true);
    expect(hasBearerScheme("Bearer")).toBe(true);
    expect(hasBearerScheme("bearer a b")).toBe(true);
    expect(hasBearerScheme("Basic dXNlcjpwYXNz")).toBe(false);
    expect(hasBearerScheme("Bearersp_abc")).toBe(false);
    expect(hasBearerScheme(null)).toBe(false);
  });
});
