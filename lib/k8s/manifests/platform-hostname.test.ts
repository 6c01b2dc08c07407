import { describe, expect, it } from "vitest";
import {
  hashedPlatformLabel,
  PLATFORM_LABEL_MAX_LENGTH,
  plainPlatformLabel,
  platformHostname,
  platformUrl,
  sitePlatformLabel,
  sitesBaseDomain,
  sitesUrlScheme,
} from "./platform-hostname";

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe("sitesBaseDomain", () => {
  it("is localhost unless set, lower-cased and without a trailing dot", () => {
    expect(sitesBaseDomain({})).toBe("localhost");
    expect(sitesBaseDomain({ SITEPOD_SITES_BASE_DOMAIN: " " })).toBe("localhost");
    expect(sitesBaseDomain({ SITEPOD_SITES_BASE_DOMAIN: "Sites.Example.COM." })).toBe("sites.example.com");
  });

  it.each([
    "sites_example.com",
    "https://sites.example.com",
    "-a.example.com",
    "10.0.0.1",
    "a..b",
    `${"a".repeat(64)}.com`,
  ])("refuses %j with what to use", (value) => {
    expect(() => sitesBaseDomain({ SITEPOD_SITES_BASE_DOMAIN: value })).toThrow(
      /SITEPOD_SITES_BASE_DOMAIN ".*" is not a valid hostname: use lower-case letters, digits, hyphens and dots/,
    );
  });
});

describe("sitesUrlScheme", () => {
  it("is http for localhost names and https elsewhere, unless set", () => {
    expect(sitesUrlScheme({})).toBe("http");
    expect(sitesUrlScheme({ SITEPOD_SITES_BASE_DOMAIN: "sp.localhost" })).toBe("http");
    expect(sitesUrlScheme({ SITEPOD_SITES_BASE_DOMAIN: "sites.example.com" })).toBe("https");
    expect(
      sitesUrlScheme({
        SITEPOD_SITES_BASE_DOMAIN: "sites.example.com",
        SITEPOD_SITES_BASE_URL_SCHEME: "HTTP",
      }),
    ).toBe("http");
    expect(() => sitesUrlScheme({ SITEPOD_SITES_BASE_URL_SCHEME: "ftp" })).toThrow(
      'SITEPOD_SITES_BASE_URL_SCHEME "ftp" is not valid: use http or https.',
    );
  });
});

describe("platformUrl", () => {
  it("links with the scheme, and with the gateway's port when it is not the scheme's", () => {
    expect(platformUrl("blog-demo.localhost", {})).toBe("http://blog-demo.localhost/");
    expect(platformUrl("blog-demo.localhost", { SITEPOD_SITES_BASE_URL_PORT: "8080" })).toBe(
      "http://blog-demo.localhost:8080/",
    );
    expect(platformUrl("blog-demo.localhost", { SITEPOD_SITES_BASE_URL_PORT: "80" })).toBe(
      "http://blog-demo.localhost/",
    );
    expect(
      platformUrl("blog-acme.sites.example.com", {
        SITEPOD_SITES_BASE_DOMAIN: "sites.example.com",
        SITEPOD_SITES_BASE_URL_PORT: "8443",
      }),
    ).toBe("https://blog-acme.sites.example.com:8443/");
    for (const bad of ["0", "70000", "http", "80a"]) {
      expect(() => platformUrl("x.localhost", { SITEPOD_SITES_BASE_URL_PORT: bad }), bad).toThrow(
        `SITEPOD_SITES_BASE_URL_PORT "${bad}" is not a port: use a number from 1 to 65535, or leave it unset.`,
      );
    }
  });
});

describe("platform labels", () => {
  it("are <site>-<account> when that fits a DNS label", () => {
    expect(plainPlatformLabel("blog", "demo")).toBe("blog-demo");
    expect(platformHostname(plainPlatformLabel("blog", "demo"), "localhost")).toBe("blog-demo.localhost");
    const longest = plainPlatformLabel("a".repeat(31), "b".repeat(31));
    expect(longest).toBe(`${"a".repeat(31)}-${"b".repeat(31)}`);
    expect(longest).toHaveLength(PLATFORM_LABEL_MAX_LENGTH);
  });

  it("are shortened with a hash of both names when the pair is too long (a 40-character site and slug)", () => {
    const site = `my-${"w".repeat(37)}`;
    const label = plainPlatformLabel(site, "acme-corporation-international-holdings");
    expect(label).toHaveLength(PLATFORM_LABEL_MAX_LENGTH);
    expect(label).toMatch(LABEL);
    expect(label.startsWith(`${site}-acme-`)).toBe(true);
    // Stable: the same names give the same label, every time and in every process.
    expect(plainPlatformLabel(site, "acme-corporation-international-holdings")).toBe(label);
    expect(label).toBe(hashedPlatformLabel(site, "acme-corporation-international-holdings"));
    // Two pairs that share their first 52 characters still differ.
    expect(plainPlatformLabel(site, "acme-corporation-international-holdings-2")).not.toBe(label);
  });

  it("never end the shortened part with a hyphen", () => {
    // The cut falls right after a hyphen of the site name.
    const label = hashedPlatformLabel(`${"a".repeat(51)}-${"b".repeat(20)}`, "acme");
    expect(label).toMatch(LABEL);
    expect(label).not.toContain("--");
  });

  it("are the stored one when the site has it, else derived", () => {
    expect(
      sitePlatformLabel({ name: "blog", accountSlug: "demo", platformLabel: "blog-demo-1a2b3c4d5e" }),
    ).toBe("blog-demo-1a2b3c4d5e");
    expect(sitePlatformLabel({ name: "blog", accountSlug: "demo", platformLabel: null })).toBe("blog-demo");
  });
});
