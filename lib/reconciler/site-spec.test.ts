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
  runtimeImageFor: (phpVersion) => `registry.example/runtime:php${phpVersion}`,
  sitesBaseDomain: "sites.example.net",
  siteUrlScheme: "https",
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

  it("names the runtime image, the platform hostname and the WordPress install", () => {
    const withAdmin: SiteDefaults = {
      ...defaults,
      openSecrets: () => generateSiteSecrets("blog", { user: "editor", email: "owner@blog.test" }),
    };
    const spec = toManifestSpec(site({ phpVersion: "8.4", installGeneration: 3 }), withAdmin);
    expect(spec).toMatchObject({
      runtimeImage: "registry.example/runtime:php8.4",
      platformHostname: "blog-acme.sites.example.net",
      siteUrlScheme: "https",
      wordpress: {
        generation: 3,
        completed: false,
        title: "The Blog",
        adminUser: "editor",
        adminEmail: "owner@blog.test",
        adminPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      },
    });
    expect(spec.sitePublicPort).toBeUndefined();

    const installed = toManifestSpec(site({ installedAt: new Date() }), {
      ...defaults,
      sitePublicPort: 8080,
    });
    expect(installed.wordpress).toMatchObject({ completed: true, adminUser: "admin" });
    expect(installed.wordpress?.adminPassword).toBeUndefined();
    expect(installed.sitePublicPort).toBe(8080);
    expect(toManifestSpec(site({ app: "PHP" }), defaults).wordpress).toBeUndefined();
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
