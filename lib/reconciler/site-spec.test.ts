import { describe, expect, it } from "vitest";
import { generateSiteSecrets } from "@/lib/services/site/site-secrets";
import { InvalidSpecError, type SiteDefaults, type SiteForReconcile, toManifestSpec } from "./site-spec";

const defaults: SiteDefaults = {
  databaseHost: "db.internal:3306",
  storageSize: "10Gi",
  wordpressVersion: "6.8",
  openSecrets: (ciphertext) => {
    if (ciphertext !== "sealed") throw new Error("bad ciphertext");
    return generateSiteSecrets("blog");
  },
};

function site(overrides: Partial<SiteForReconcile> = {}): SiteForReconcile {
  return {
    id: "s1",
    accountId: "a1",
    name: "blog",
    app: "WORDPRESS",
    phpVersion: "8.3",
    title: "The Blog",
    installGeneration: 1,
    installedAt: null,
    generation: 1,
    observedGeneration: 0,
    phase: "PROVISIONING",
    conditions: [],
    deletionRequestedAt: null,
    secretsCiphertext: "sealed",
    createdAt: new Date(),
    updatedAt: new Date(),
    account: {
      id: "a1",
      slug: "acme",
      status: "ACTIVE",
      suspendedReason: null,
      terminationRequestedAt: null,
    },
    domains: [
      { hostname: "www.blog.test", isPrimary: false },
      { hostname: "blog.test", isPrimary: true },
      { hostname: "a.blog.test", isPrimary: false },
    ],
    ...overrides,
  };
}

describe("toManifestSpec", () => {
  it("orders domains primary first, fills defaults and decrypted secrets", () => {
    const spec = toManifestSpec(site(), defaults);
    expect(spec.domains).toEqual(["blog.test", "a.blog.test", "www.blog.test"]);
    expect(spec).toMatchObject({ accountSlug: "acme", storageSize: "10Gi", wordpressVersion: "6.8" });
    expect(spec.database.host).toBe("db.internal:3306");
    expect(Object.keys(spec.salts)).toHaveLength(8);
    expect(spec.suspended).toBe(false);
  });

  it("marks the sites of a suspended account as suspended", () => {
    const account = {
      id: "a1",
      slug: "acme",
      status: "SUSPENDED" as const,
      suspendedReason: "unpaid",
      terminationRequestedAt: null,
    };
    expect(toManifestSpec(site({ account }), defaults).suspended).toBe(true);
  });

  it.each([
    ["a name that cannot be a Service name", { name: "1blog" }],
    ["a name Sitepod uses for its own objects", { name: "sitepod-suspended" }],
    ["an invalid PHP version", { phpVersion: "latest" }],
    ["an invalid hostname", { domains: [{ hostname: "bad_host.test", isPrimary: true }] }],
    ["unreadable secrets", { secretsCiphertext: "tampered" }],
  ])("rejects %s as an invalid spec", (_what, overrides) => {
    expect(() => toManifestSpec(site(overrides), defaults)).toThrow(InvalidSpecError);
  });
});

describe("toManifestSpec database identifiers", () => {
  it("rejects secrets whose database name could not be quoted safely", () => {
    const evil: SiteDefaults = {
      ...defaults,
      openSecrets: () => {
        const secrets = generateSiteSecrets("blog");
        return { ...secrets, database: { ...secrets.database, name: "x`; DROP DATABASE mysql; --" } };
      },
    };
    expect(() => toManifestSpec(site(), evil)).toThrow(InvalidSpecError);
  });
});
