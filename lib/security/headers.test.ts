import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "@/lib/security/headers";

function directives(csp: string): Map<string, string> {
  return new Map(
    csp.split(";").map((d) => {
      const [name = "", ...values] = d.trim().split(/\s+/);
      return [name, values.join(" ")];
    }),
  );
}

describe("newNonce", () => {
  it("is 128 random bits in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("contentSecurityPolicy", () => {
  it("allows only scripts carrying the nonce, and nothing that frames or embeds the panel", () => {
    const csp = directives(contentSecurityPolicy("abc123", { dev: false, https: true }));
    expect(csp.get("script-src")).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp.get("default-src")).toBe("'self'");
    expect(csp.get("frame-ancestors")).toBe("'none'");
    expect(csp.get("object-src")).toBe("'none'");
    expect(csp.get("base-uri")).toBe("'self'");
    expect(csp.get("form-action")).toBe("'self'");
    expect(csp.get("connect-src")).toBe("'self'");
    expect(csp.get("img-src")).toBe("'self' data: blob:");
    expect(csp.get("style-src")).toBe("'self' 'unsafe-inline'");
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
  });

  it("never allows eval in production, only in development", () => {
    expect(contentSecurityPolicy("n", { dev: false, https: false })).not.toContain("unsafe-eval");
    expect(directives(contentSecurityPolicy("n", { dev: true, https: false })).get("script-src")).toContain(
      "'unsafe-eval'",
    );
  });

  it("does not upgrade requests on a plain-http panel", () => {
    expect(contentSecurityPolicy("n", { dev: false, https: false })).not.toContain(
      "upgrade-insecure-requests",
    );
  });
});
