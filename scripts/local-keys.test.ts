import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretBox, parseSecretKey } from "@/lib/crypto/secret-box";
// @ts-expect-error: plain ESM script without type declarations (it runs before dependencies exist).
import { ensureLocalKeys } from "./local-keys.mjs";

type Keys = { NEXTAUTH_SECRET: string; SITEPOD_SECRET_KEY: string };
const ensure = ensureLocalKeys as (stateDir: string, env: Record<string, string | undefined>) => Keys;

function scratch(): string {
  return path.join(mkdtempSync(path.join(tmpdir(), "sitepod-keys-")), "state");
}

describe("npm run up's local keys", () => {
  it("generates both keys on a fresh machine, usable by the production code, readable only by the owner", () => {
    const dir = scratch();
    const keys = ensure(dir, {});
    // The production build refuses to start without these; they must be what it accepts.
    const box = createSecretBox(parseSecretKey(keys.SITEPOD_SECRET_KEY, "SITEPOD_SECRET_KEY"));
    expect(box.open(box.seal("site password"))).toBe("site password");
    expect(keys.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    for (const file of ["secret-key", "auth-secret"]) {
      expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    }
  });

  it("reuses the stored keys on the next start, so sessions and stored secrets survive a restart", () => {
    const dir = scratch();
    const first = ensure(dir, {});
    expect(ensure(dir, {})).toEqual(first);
  });

  it("takes keys from the environment when set, and writes nothing for them", () => {
    const dir = scratch();
    const env = {
      NEXTAUTH_SECRET: "x".repeat(40),
      SITEPOD_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
    };
    expect(ensure(dir, env)).toEqual(env);
    expect(() => statSync(path.join(dir, "secret-key"))).toThrow(/ENOENT/);
  });

  it("refuses a damaged key file instead of replacing it (that would lose every stored secret)", () => {
    const dir = scratch();
    ensure(dir, {});
    writeFileSync(path.join(dir, "secret-key"), "short\n");
    expect(() => ensure(dir, {})).toThrow(/does not hold a valid key: delete it/);
    expect(readFileSync(path.join(dir, "secret-key"), "utf8")).toBe("short\n");
  });
});
