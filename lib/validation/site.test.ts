import { describe, expect, it } from "vitest";
import { createSiteSchema, SITE_NAME_PATTERN, siteNameProblem } from "./site";

function messages(input: unknown): Record<string, string> {
  const result = createSiteSchema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[issue.path.join(".")] ??= issue.message;
  return out;
}

const valid = { name: "my-blog", domain: "blog.example.com" };

describe("createSiteSchema", () => {
  it("applies defaults and normalises the domain; the PHP version is left to the runtime catalog", () => {
    expect(createSiteSchema.parse({ name: " my-blog ", domain: " Blog.Example.COM. " })).toEqual({
      name: "my-blog",
      domain: "blog.example.com",
      app: "WORDPRESS",
      adminUser: "admin",
    });
    expect(createSiteSchema.parse({ ...valid, phpVersion: " " }).phpVersion).toBeUndefined();
    expect(createSiteSchema.parse({ ...valid, phpVersion: "8.1", app: "PHP" })).toMatchObject({
      phpVersion: "8.1",
      app: "PHP",
    });
  });

  it.each([
    ["", "Enter a site name."],
    ["a".repeat(41), "Use at most 40 characters."],
    ["My-Blog", "Use lower-case letters only."],
    ["-blog", "Start the name with a letter (e.g. blog1, not 1blog)."],
    [
      "blog-",
      "Use only lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit (e.g. my-blog).",
    ],
    [
      "my_blog",
      "Use only lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit (e.g. my-blog).",
    ],
    [
      "my.blog",
      "Use only lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit (e.g. my-blog).",
    ],
  ])("rejects the name %j", (name, message) => {
    expect(messages({ ...valid, name })).toEqual({ name: message });
  });

  it.each(["sitepod", "sitepod-suspended", "sitepod-site", "sitepod-plan", "sitepod-defaults", "sitepod-x"])(
    "refuses the reserved name %j, saying why",
    (name) => {
      expect(messages({ ...valid, name })).toEqual({
        name: 'Names starting with "sitepod" are reserved for Sitepod\'s own objects. Choose another name.',
      });
    },
  );

  it("accepts names of 1 and 40 characters", () => {
    expect(createSiteSchema.safeParse({ ...valid, name: "a" }).success).toBe(true);
    expect(createSiteSchema.safeParse({ ...valid, name: "a".repeat(40) }).success).toBe(true);
    expect(createSiteSchema.safeParse({ ...valid, name: "b0log9" }).success).toBe(true);
  });

  it.each([
    ["", "Enter a domain name."],
    ["example", "Enter a full domain name with a dot (e.g. example.com)."],
    ["*.example.com", "Wildcard domains are not supported; enter one domain name (e.g. www.example.com)."],
    ["192.168.1.10", "Enter a domain name, not an IP address."],
    ["[::1]", "Enter a domain name, not an IP address."],
    ["https://example.com", "Enter just the domain name, without http:// or a path (e.g. example.com)."],
    ["example.com/blog", "Enter just the domain name, without http:// or a path (e.g. example.com)."],
    [
      "xn--zz.de",
      "This is not a valid international domain name: check its spelling (e.g. bücher.example or xn--bcher-kva.example).",
    ],
    [
      "bü cher.de",
      "This is not a valid international domain name: check its spelling (e.g. bücher.example or xn--bcher-kva.example).",
    ],
    ["a..example.com", "A domain name cannot have empty parts (two dots in a row or a leading dot)."],
    [
      `${"a".repeat(64)}.com`,
      "Each part of a domain name can have at most 63 characters (counted in its xn-- form).",
    ],
    [`${"a.".repeat(126)}com`, "A domain name can have at most 253 characters (counted in its xn-- form)."],
    [
      `${"ü".repeat(60)}.com`,
      "Each part of a domain name can have at most 63 characters (counted in its xn-- form).",
    ],
    [
      "-bad.example.com",
      "Use only letters, digits and hyphens in each part of the domain; a part cannot start or end with a hyphen.",
    ],
    [
      "bad_.example.com",
      "Use only letters, digits and hyphens in each part of the domain; a part cannot start or end with a hyphen.",
    ],
    ["example.123", "The last part of a domain name cannot be all digits."],
  ])("rejects the domain %j", (domain, message) => {
    expect(messages({ ...valid, domain })).toEqual({ domain: message });
  });

  it("accepts long but legal domains and punycode", () => {
    const label63 = "a".repeat(63);
    const domain253 = `${label63}.${label63}.${label63}.${"b".repeat(61)}`;
    expect(domain253).toHaveLength(253);
    expect(createSiteSchema.safeParse({ ...valid, domain: domain253 }).success).toBe(true);
    expect(createSiteSchema.safeParse({ ...valid, domain: "xn--bcher-kva.de" }).success).toBe(true);
  });

  it.each([
    ["bücher.example", "xn--bcher-kva.example"],
    ["BÜCHER.Example.", "xn--bcher-kva.example"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["例え.テスト", "xn--r8jz45g.xn--zckzah"],
    // Full-width letters are what some keyboards type; UTS #46 maps them to plain ones.
    ["ｅｘａｍｐｌｅ.com", "example.com"],
    ["Example.COM", "example.com"],
  ])("stores the domain %j as %j", (domain, stored) => {
    const parsed = createSiteSchema.safeParse({ ...valid, domain });
    expect(parsed.success && parsed.data.domain).toBe(stored);
  });

  it("rejects what cannot be a PHP version and unknown apps with clear messages", () => {
    // Whether 7.4 is offered is the catalog's to say (createSite); "latest" is no version at all.
    expect(messages({ ...valid, phpVersion: "7.4" })).toEqual({});
    expect(messages({ ...valid, phpVersion: "latest", app: "DRUPAL" })).toEqual({
      phpVersion: "Choose a PHP version from the list.",
      app: "Choose WordPress or plain PHP.",
    });
  });

  it("trims the title and accepts an empty one (the service uses the name then)", () => {
    expect(createSiteSchema.parse({ ...valid, title: "  Acme – Blog & News  " }).title).toBe(
      "Acme – Blog & News",
    );
    expect(createSiteSchema.parse({ ...valid, title: "   " }).title).toBe("");
    expect(createSiteSchema.parse({ ...valid, title: "t".repeat(120) }).title).toHaveLength(120);
  });

  it.each([
    ["t".repeat(121), "Use at most 120 characters."],
    ["two\nlines", "Use a title on one line, without control characters."],
    ["tab\there", "Use a title on one line, without control characters."],
  ])("rejects the title %j", (title, message) => {
    expect(messages({ ...valid, title })).toEqual({ title: message });
  });

  it.each(["admin", "site.owner", "web_master-2", "abc", "a".repeat(60)])(
    "accepts the admin user %j",
    (adminUser) => {
      expect(createSiteSchema.parse({ ...valid, adminUser }).adminUser).toBe(adminUser);
    },
  );

  it.each([
    ["", "Enter a user name for the WordPress admin."],
    ["ab", "Use at least 3 characters."],
    ["a".repeat(61), "Use at most 60 characters."],
    [
      "Admin",
      "Use only lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. admin).",
    ],
    [
      "-admin",
      "Use only lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. admin).",
    ],
    [
      "me@example.com",
      "Use only lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. admin).",
    ],
  ])("rejects the admin user %j", (adminUser, message) => {
    expect(messages({ ...valid, adminUser })).toEqual({ adminUser: message });
  });

  it("reports missing fields", () => {
    expect(messages({})).toEqual({ name: "Enter a site name.", domain: "Enter a domain name." });
  });
});

describe("siteNameProblem", () => {
  it("refuses a name starting with a digit, which Services and Deployments cannot take", () => {
    expect(siteNameProblem("1blog")).toBe("Start the name with a letter (e.g. blog1, not 1blog).");
  });

  it("accepts what the reconciler accepts, and only that", () => {
    for (const name of ["blog", "blog1", "my-blog", "a", "b".repeat(40)]) {
      expect([name, siteNameProblem(name)]).toEqual([name, null]);
      expect(SITE_NAME_PATTERN.test(name)).toBe(true);
    }
    for (const name of ["1blog", "-blog", "blog-", "my_blog", "b".repeat(41)]) {
      expect([name, siteNameProblem(name)]).toEqual([name, expect.any(String)]);
      expect(SITE_NAME_PATTERN.test(name)).toBe(false);
    }
  });
});
