import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

describe("authSecret", () => {
  const saved = { ...process.env };
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "sitepod-secret-"));
    vi.spyOn(process, "cwd").mockReturnValue(dir);
    vi.resetModules();
    delete process.env.NEXTAUTH_SECRET;
    delete process.env.NEXTAUTH_URL;
    delete process.env.SITEPOD_STATE_DIR;
  });

  afterEach(() => {
    vi.restoreAllMocks();
    process.env = { ...saved };
  });

  it("uses NEXTAUTH_SECRET when set", async () => {
    process.env.NEXTAUTH_SECRET = "from-env";
    const { authSecret } = await import("@/lib/auth/secret");
    expect(authSecret()).toBe("from-env");
  });

  it("generates a private secret file once and reuses it", async () => {
    const { authSecret } = await import("@/lib/auth/secret");
    const first = authSecret();
    const file = path.join(dir, ".sitepod", "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    vi.resetModules();
    const again = await import("@/lib/auth/secret");
    expect(again.authSecret()).toBe(first);
  });

  it("honours SITEPOD_STATE_DIR for the development secret", async () => {
    const state = path.join(dir, "state");
    process.env.SITEPOD_STATE_DIR = state;
    const { authSecret } = await import("@/lib/auth/secret");
    const secret = authSecret();
    expect(readFileSync(path.join(state, "auth-secret"), "utf8").trim()).toBe(secret);
  });

  it("refuses to run a production server without NEXTAUTH_SECRET, even on loopback", async () => {
    vi.stubEnv("NODE_ENV", "production");
    process.env.NEXTAUTH_URL = "http://127.0.0.1:3000";
    const { authSecret } = await import("@/lib/auth/secret");
    expect(() => authSecret()).toThrow(/NEXTAUTH_SECRET is not set: in production/);
  });
});
