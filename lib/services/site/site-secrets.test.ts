import { describe, expect, it } from "vitest";
import {
  ADMIN_PASSWORD_LENGTH,
  generateSiteSecrets,
  siteSecretsSchema,
  withoutAdminPassword,
} from "./site-secrets";

describe("generateSiteSecrets", () => {
  it("generates a WordPress admin password only when an admin is named", () => {
    const plain = generateSiteSecrets("shop");
    expect(plain.wordpressAdmin).toBeUndefined();
    const wp = generateSiteSecrets("blog", { user: "admin", email: "owner@example.test" });
    expect(wp.wordpressAdmin).toEqual({
      user: "admin",
      email: "owner@example.test",
      password: expect.stringMatching(new RegExp(`^[A-Za-z0-9_-]{${ADMIN_PASSWORD_LENGTH}}$`)),
    });
    expect(generateSiteSecrets("blog", { user: "a", email: "b@c.d" }).wordpressAdmin?.password).not.toBe(
      wp.wordpressAdmin?.password,
    );
    expect(siteSecretsSchema.parse(wp)).toEqual(wp);
  });

  it("forgets the admin password once installed, keeping the rest", () => {
    const wp = generateSiteSecrets("blog", { user: "admin", email: "owner@example.test" });
    const after = withoutAdminPassword(wp);
    expect(after.wordpressAdmin).toEqual({ user: "admin", email: "owner@example.test" });
    expect(after.database).toEqual(wp.database);
    expect(JSON.stringify(after)).not.toContain(wp.wordpressAdmin?.password);
    expect(siteSecretsSchema.parse(after)).toEqual(after);
    expect(withoutAdminPassword(after)).toBe(after);
  });
});
