import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createSecretBox, loadSecretKey, SecretBoxError } from "./secret-box";

const key = randomBytes(32);
const box = createSecretBox(key);

describe("secret box", () => {
  it("round-trips text and never repeats a ciphertext", () => {
    const secret = JSON.stringify({ password: "pä$$wörd", salts: ["a", "b"] });
    const a = box.seal(secret);
    const b = box.seal(secret);
    expect(a).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("wörd");
    expect(box.open(a)).toBe(secret);
    expect(box.open(b)).toBe(secret);
  });

  it("detects a tampered ciphertext, nonce or tag", () => {
    const sealed = box.seal("database-password");
    const parts = sealed.split(".");
    for (const index of [1, 2, 3]) {
      const bytes = Buffer.from(parts[index] ?? "", "base64url");
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString("base64url");
      expect(() => box.open(tampered.join("."))).toThrow("wrong key or tampered data");
    }
  });

  it("refuses a different key", () => {
    const other = createSecretBox(randomBytes(32));
    expect(() => other.open(box.seal("x"))).toThrow(SecretBoxError);
  });

  it("refuses unknown versions and malformed input", () => {
    const sealed = box.seal("x");
    expect(() => box.open(sealed.replace(/^v1/, "v9"))).toThrow("Unsupported secret format");
    expect(() => box.open("not-a-secret")).toThrow("Unsupported secret format");
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow("must be 32 bytes");
    expect(() => loadSecretKey({ env: { SITEPOD_SECRET_KEY: "c2hvcnQ=" } })).toThrow(
      "SITEPOD_SECRET_KEY must be 32 random bytes in base64",
    );
  });
});

describe("loadSecretKey", () => {
  it("uses SITEPOD_SECRET_KEY when set", () => {
    const loaded = loadSecretKey({
      env: { SITEPOD_SECRET_KEY: key.toString("base64"), NODE_ENV: "production" },
    });
    expect(loaded.equals(key)).toBe(true);
  });

  it("is a clear error in production without a key", () => {
    expect(() => loadSecretKey({ env: { NODE_ENV: "production" } })).toThrow(
      "SITEPOD_SECRET_KEY is not set: in production",
    );
  });

  it("generates a development key once, readable only by its owner", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sitepod-key-"));
    const file = path.join(dir, ".sitepod", "secret-key");
    const first = loadSecretKey({ env: { NODE_ENV: "development" }, devKeyFile: file });
    const second = loadSecretKey({ env: { NODE_ENV: "development" }, devKeyFile: file });
    expect(first.length).toBe(32);
    expect(second.equals(first)).toBe(true);
    expect(Buffer.from(readFileSync(file, "utf8").trim(), "base64").equals(first)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
