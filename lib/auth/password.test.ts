import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./password";
import { DUMMY_PASSWORD_HASH } from "./verify-credentials";

describe("password hashing", () => {
  it("hashes with argon2id at OWASP parameters and verifies", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(hash, "Correct horse battery staple")).toBe(false);
  });

  it("salts every hash and treats a malformed hash as a mismatch", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
    expect(await verifyPassword("not-a-hash", "same")).toBe(false);
  });

  it("keeps the dummy hash for unknown users at the same cost as real hashes", async () => {
    const params = (hash: string) => hash.split("$").slice(1, 4).join("$");
    expect(params(DUMMY_PASSWORD_HASH)).toBe(params(await hashPassword("x")));
  });
});
