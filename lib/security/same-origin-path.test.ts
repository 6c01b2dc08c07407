import { describe, expect, it } from "vitest";
import { sameOriginPath } from "@/lib/security/same-origin-path";

const ORIGIN = "https://panel.example.com";

describe("sameOriginPath", () => {
  it("keeps paths of the panel, with their query and fragment", () => {
    expect(sameOriginPath("/accounts/demo/sites?x=1#top", ORIGIN)).toBe("/accounts/demo/sites?x=1#top");
    expect(sameOriginPath("/sign-in", ORIGIN)).toBe("/sign-in");
    expect(sameOriginPath("/", ORIGIN)).toBe("/");
  });

  it("turns an absolute URL of the panel itself into its path", () => {
    expect(sameOriginPath(`${ORIGIN}/accounts/demo/sites`, ORIGIN)).toBe("/accounts/demo/sites");
  });

  it("answers the path as the URL parser resolved it, not as given", () => {
    expect(sameOriginPath("/accounts/../invite/abc", ORIGIN)).toBe("/invite/abc");
  });

  it("refuses other origins and protocol-relative URLs", () => {
    for (const value of [
      "https://evil.example",
      "http://panel.example.com/accounts",
      "//evil.example",
      "///evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "http:evil.example",
      "https:/evil.example",
      "javascript:alert(1)",
      "/.//evil.example",
      "/%2F/evil.example",
      "/%5Cevil.example",
    ]) {
      expect(sameOriginPath(value, ORIGIN), value).toBeNull();
    }
  });

  it("refuses control and whitespace characters, raw or encoded, which browsers drop or choke on", () => {
    for (const value of [
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "\n",
      "/\n",
      "/\u3000/evil.example",
      "\u3000",
      "/ /evil.example",
      "/%09/evil.example",
      "/%0A",
      "/%E3%80%80/evil.example",
      "/accounts\u0000",
      "/\u00a0/evil.example",
      "/\u2028/evil.example",
    ]) {
      expect(sameOriginPath(value, ORIGIN), JSON.stringify(value)).toBeNull();
    }
  });

  it("refuses malformed percent-encoding", () => {
    expect(sameOriginPath("/accounts/%E0%A4%A", ORIGIN)).toBeNull();
    expect(sameOriginPath("/%", ORIGIN)).toBeNull();
  });

  it("refuses relative paths without a leading slash and empty values", () => {
    for (const value of ["accounts/demo", "", null, undefined]) {
      expect(sameOriginPath(value, ORIGIN), String(value)).toBeNull();
    }
  });
});
