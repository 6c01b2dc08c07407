import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "@/lib/services/runtime/runtime-catalog";
import { generateSiteSecrets } from "@/lib/services/site/site-secrets";
import { InvalidSpecError, type SiteDefaults, type SiteForReconcile, toManifestSpec } from "./site-spec";

const defaults: SiteDefaults = {
  databaseHost: "db.internal:3306",
  wordpressVersion: "6.8",
  sitesBaseDomain: "localhost",
  openSecrets: (ciphertext) => {
    if (ciphertext !== "sealed") throw new Error("bad ciphertext");
    return generateSiteSecrets("blog");
  },
  openEnvValue: (ciphertext) => {
    if (!ciphertext.startsWith("sealed:")) throw new Error("bad ciphertext");
    return ciphertext.slice("sealed:".length);
  },
  siteUrlScheme: "https",
};

/** Newest first, as loadRuntimeCatalog answers it. */
const catalog: CatalogEntry[] = [
  { phpVersion: "8.4", image: "sitepod.local/runtime:php8.4", label: null, enabled: true },
  { phpVersion: "8.3", image: "sitepod.local/runtime:php8.3", label: null, enabled: false },
  { phpVersion: "8.2", image: "sitepod.local/runtime:php8.2", label: null, enabled: true },
];

function site(overrides: Partial<SiteForReconcile> = {}): SiteForReconcile {
  return {
    id: "s1",
    accountId: "a1",
    name: "blog",
    app: "WORDPRESS",
    phpVersion: "8.2",
    platformLabel: null,
    title: "The Blog",
    installGeneration: 1,
    installedAt: null,
    generation: 1,
    observedGeneration: 0,
    phase: "PROVISIONING",
    conditions: [],
    deletionRequestedAt: null,
    secretsCiphertext: "sealed",
    cpuMillicores: 250,
    memoryMiB: 384,
    storageGiB: 10,
    replicas: 1,
    phpSettings: null,
    envVars: null,
    databaseAttachments: [],
    createdAt: new Date(),
    updatedAt: new Date(),
    account: {
      id: "a1",
      slug: "acme",
      status: "ACTIVE",
      suspendedReason: null,
      terminationRequestedAt: null,
    },
    forceHttps: false,
    domains: [
      domain({ hostname: "www.blog.test" }),
      domain({ hostname: "blog.test", isPrimary: true }),
      domain({ hostname: "a.blog.test" }),
    ],
    ...overrides,
  };
}

function domain(
  overrides: Partial<SiteForReconcile["domains"][number]> & { hostname: string },
): SiteForReconcile["domains"][number] {
  return {
    id: `d-${overrides.hostname}`,
    isPrimary: false,
    redirectToPrimary: false,
    tlsStatus: null,
    ...overrides,
  };
}

describe("toManifestSpec", () => {
  it("passes redirects, force HTTPS and the domains with an issued certificate to the builders", () => {
    const issued = { state: "issued", notAfter: "2027-01-01T00:00:00Z", observedAt: "2026-12-01T00:00:00Z" };
    const spec = toManifestSpec(
      site({
        forceHttps: true,
        domains: [
          domain({ hostname: "blog.test", isPrimary: true, redirectToPrimary: true, tlsStatus: issued }),
          domain({
            hostname: "www.blog.test",
            redirectToPrimary: true,
            tlsStatus: { ...issued, state: "renewal_due" },
          }),
          domain({ hostname: "a.blog.test", tlsStatus: { ...issued, state: "pending" } }),
          domain({ hostname: "b.blog.test", tlsStatus: { not: "a status" } }),
        ],
      }),
      defaults,
      catalog,
    );
    // The primary never redirects, whatever its row says.
    expect(spec.redirectDomains).toEqual(["www.blog.test"]);
    expect(spec.httpsDomains).toEqual(["blog.test", "www.blog.test"]);
    expect(spec.forceHttps).toBe(true);
  });

  it("orders domains primary first, fills defaults and decrypted secrets", () => {
    const spec = toManifestSpec(site(), defaults, catalog);
    expect(spec.domains).toEqual(["blog.test", "a.blog.test", "www.blog.test"]);
    expect(spec).toMatchObject({ accountSlug: "acme", storageSize: "10Gi", wordpressVersion: "6.8" });
    expect(spec.database.host).toBe("db.internal:3306");
    expect(Object.keys(spec.salts)).toHaveLength(8);
    expect(spec.suspended).toBe(false);
  });

  it("takes the image of the site's PHP version from the runtime catalog", () => {
    expect(toManifestSpec(site(), defaults, catalog).runtimeImage).toBe("sitepod.local/runtime:php8.2");
    // Disabled only for new sites: the sites on it keep their image.
    expect(toManifestSpec(site({ phpVersion: "8.3" }), defaults, catalog).runtimeImage).toBe(
      "sitepod.local/runtime:php8.3",
    );
  });

  it("refuses a PHP version the catalog has no image for, naming the versions offered", () => {
    expect(() => toManifestSpec(site({ phpVersion: "8.1" }), defaults, catalog)).toThrow(
      new InvalidSpecError("PHP 8.1 has no runtime image in the catalog; offered: 8.4, 8.2"),
    );
    expect(() => toManifestSpec(site(), defaults, [])).toThrow(
      "PHP 8.2 has no runtime image in the catalog; offered: none",
    );
  });

  it("names the site at <site>-<account>.<base domain>, or at the label stored for it", () => {
    expect(toManifestSpec(site(), defaults, catalog).platformHostname).toBe("blog-acme.localhost");
    const stored = toManifestSpec(
      site({ platformLabel: "blog-acme-0123456789" }),
      { ...defaults, sitesBaseDomain: "sites.example.com" },
      catalog,
    );
    expect(stored.platformHostname).toBe("blog-acme-0123456789.sites.example.com");
  });

  it("names the runtime image, the platform hostname and the WordPress install", () => {
    const withAdmin: SiteDefaults = {
      ...defaults,
      openSecrets: () => generateSiteSecrets("blog", { user: "editor", email: "owner@blog.test" }),
    };
    const spec = toManifestSpec(site({ phpVersion: "8.4", installGeneration: 3 }), withAdmin, catalog);
    expect(spec).toMatchObject({
      runtimeImage: "sitepod.local/runtime:php8.4",
      platformHostname: "blog-acme.localhost",
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

    const installed = toManifestSpec(
      site({ installedAt: new Date() }),
      { ...defaults, sitePublicPort: 8080 },
      catalog,
    );
    expect(installed.wordpress).toMatchObject({ completed: true, adminUser: "admin" });
    expect(installed.wordpress?.adminPassword).toBeUndefined();
    expect(installed.sitePublicPort).toBe(8080);
    expect(toManifestSpec(site({ app: "PHP" }), defaults, catalog).wordpress).toBeUndefined();
  });

  it("marks the sites of a suspended account as suspended", () => {
    const account = {
      id: "a1",
      slug: "acme",
      status: "SUSPENDED" as const,
      suspendedReason: "unpaid",
      terminationRequestedAt: null,
    };
    expect(toManifestSpec(site({ account }), defaults, catalog).suspended).toBe(true);
  });

  it.each([
    ["a name that cannot be a Service name", { name: "1blog" }],
    ["a name Sitepod uses for its own objects", { name: "sitepod-suspended" }],
    ["an invalid PHP version", { phpVersion: "latest" }],
    ["an invalid hostname", { domains: [domain({ hostname: "bad_host.test", isPrimary: true })] }],
    ["unreadable secrets", { secretsCiphertext: "tampered" }],
  ])("rejects %s as an invalid spec", (_what, overrides) => {
    expect(() => toManifestSpec(site(overrides), defaults, catalog)).toThrow(InvalidSpecError);
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
    expect(() => toManifestSpec(site(), evil, catalog)).toThrow(InvalidSpecError);
  });
});

describe("toManifestSpec with settings", () => {
  it("renders the stored settings, opening secret values", () => {
    const spec = toManifestSpec(
      site({
        cpuMillicores: 500,
        memoryMiB: 1024,
        storageGiB: 12,
        phpSettings: {
          memoryLimit: "512M",
          uploadMaxFilesize: "100M",
          postMaxSize: "100M",
          maxExecutionTime: 120,
          maxInputVars: 3000,
          opcache: true,
          displayErrors: false,
          timezone: "Europe/Paris",
        },
        envVars: [
          { name: "MODE", secret: false, value: "prod" },
          { name: "API_KEY", secret: true, sealed: "sealed:k3y" },
        ],
      }),
      defaults,
      catalog,
      { rollout: "Recreate" },
    );
    expect(spec).toMatchObject({
      storageSize: "12Gi",
      rollout: "Recreate",
      replicas: 1,
      env: { MODE: "prod", API_KEY: "k3y" },
      php: { memoryLimit: "512M", timezone: "Europe/Paris", maxChildren: 5 },
    });
    expect(spec.resources.php).toEqual({
      cpuRequest: "500m",
      cpuLimit: "2000m",
      memoryRequest: "512Mi",
      memoryLimit: "1024Mi",
    });
  });

  it.each([
    ["php.ini settings written around the service", { phpSettings: { memoryLimit: "1T" } }, /^PHP setting/],
    [
      "a reserved variable name",
      { envVars: [{ name: "DB_PASSWORD", secret: false, value: "x" }] },
      /^Environment variable DB_PASSWORD: DB_PASSWORD is set by Sitepod/,
    ],
    [
      "a secret that cannot be opened",
      { envVars: [{ name: "API_KEY", secret: true, sealed: "tampered" }] },
      /^The secret value of API_KEY cannot be read/,
    ],
    ["resources out of bounds", { memoryMiB: 1 }, /^Resource memoryMiB = 1 is out of bounds/],
  ])("refuses %s as an invalid spec", (_case, overrides, message) => {
    expect(() => toManifestSpec(site(overrides as Partial<SiteForReconcile>), defaults, catalog)).toThrow(
      message,
    );
  });
});
