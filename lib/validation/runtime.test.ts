import { describe, expect, it } from "vitest";
import { isReservedDomain } from "./reserved-names";
import { createRuntimeImageSchema, imageReferenceProblem, updateRuntimeImageSchema } from "./runtime";

describe("imageReferenceProblem", () => {
  it.each([
    "sitepod.local/runtime:php8.2",
    "runtime",
    "localhost:5000/sitepod/runtime:php8.4",
    "registry.example.com/sitepod/runtime:php8.4@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    "ghcr.io/acme/site_runtime__x/php-fpm.nginx:8.4-bookworm",
    "Registry.Example.com:443/sitepod/runtime",
  ])("accepts %s", (reference) => {
    expect(imageReferenceProblem(reference)).toBeNull();
  });

  it.each([
    ["", "Enter the image reference, e.g. registry.example.com/sitepod/runtime:php8.4."],
    [
      "docker://runtime:php8.4",
      "Enter the image reference without a scheme (no https://), e.g. registry.example.com/sitepod/runtime:php8.4.",
    ],
    ["runtime php8.4", "An image reference has no spaces."],
    ["sitepod/Runtime:8.4", expect.stringContaining("lower-case repository path")],
    ["runtime:", expect.stringContaining("lower-case repository path")],
    ["runtime:-8.4", expect.stringContaining("lower-case repository path")],
    ["runtime@sha256:abc", expect.stringContaining("lower-case repository path")],
    [`runtime:${"a".repeat(250)}`, "Use at most 255 characters."],
  ])("refuses %j", (reference, message) => {
    expect(imageReferenceProblem(reference)).toEqual(message);
  });
});

describe("runtime schemas", () => {
  it("trim, default to offered, and treat an empty label as none", () => {
    expect(
      createRuntimeImageSchema.parse({ phpVersion: " 8.4 ", image: " runtime:php8.4 ", label: "  " }),
    ).toEqual({
      phpVersion: "8.4",
      image: "runtime:php8.4",
      label: null,
      enabled: true,
    });
    expect(updateRuntimeImageSchema.parse({ enabled: "false" })).toEqual({ enabled: false });
    expect(updateRuntimeImageSchema.parse({ label: "" })).toEqual({ label: null });
  });
});

describe("isReservedDomain and the platform hostnames' base domain", () => {
  it("reserves the base domain and every name below it, only when given", () => {
    const options = { panelUrl: undefined, sitesBaseDomain: "sites.example.net" };
    expect(isReservedDomain("blog-acme.sites.example.net", options)).toBe(true);
    expect(isReservedDomain("sites.example.net", options)).toBe(true);
    expect(isReservedDomain("mysites.example.net", options)).toBe(false);
    expect(isReservedDomain("blog-acme.sites.example.net", { panelUrl: undefined })).toBe(false);
  });
});
