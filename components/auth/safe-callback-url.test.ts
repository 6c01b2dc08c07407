import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/components/auth/safe-callback-url";

describe("safeCallbackUrl", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackUrl("/accounts/demo/sites?x=1")).toBe("/accounts/demo/sites?x=1");
  });

  it("rejects other origins, protocol-relative URLs and loops back to sign-in", () => {
    for (const value of ["https://evil.example", "//evil.example", "/\\evil.example", "/sign-in", "", null]) {
      expect(safeCallbackUrl(value)).toBe("/");
    }
  });
});
