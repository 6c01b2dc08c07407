import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "@/components/auth/safe-callback-url";

const ORIGIN = "https://panel.example.com";

describe("safeCallbackUrl", () => {
  it("keeps same-origin paths", () => {
    expect(safeCallbackUrl("/accounts/demo/sites?x=1", ORIGIN)).toBe("/accounts/demo/sites?x=1");
    expect(safeCallbackUrl("/invite/abc", ORIGIN)).toBe("/invite/abc");
  });

  it("falls back to the start page for anything unsafe or malformed", () => {
    for (const value of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n",
      "/\u3000/evil.example",
      "/accounts/%E0%A4%A",
      "",
      null,
    ]) {
      expect(safeCallbackUrl(value, ORIGIN), JSON.stringify(value)).toBe("/");
    }
  });

  it("does not loop back to sign-in or land on the API", () => {
    for (const value of ["/sign-in", "/sign-in?callbackUrl=%2F", "/x/../sign-in", "/api/v1/accounts"]) {
      expect(safeCallbackUrl(value, ORIGIN), value).toBe("/");
    }
  });
});
