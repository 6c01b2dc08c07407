import { describe, expect, it } from "vitest";
import { fieldErrorsFromZod } from "@/lib/errors";
import {
  DEFAULT_PHP_SETTINGS,
  DEFAULT_SITE_RESOURCES,
  envNameProblem,
  phpSizeBytes,
  timezoneProblem,
  type UpdateSiteFormValues,
  updateSiteSchema,
} from "./site-settings";

function form(overrides: Partial<UpdateSiteFormValues> = {}): UpdateSiteFormValues {
  return {
    generation: 3,
    phpVersion: "8.4",
    php: { ...DEFAULT_PHP_SETTINGS },
    env: [],
    resources: { ...DEFAULT_SITE_RESOURCES },
    ...overrides,
  };
}

function errorsOf(values: unknown): Record<string, string> {
  const parsed = updateSiteSchema.safeParse(values);
  return parsed.success ? {} : fieldErrorsFromZod(parsed.error);
}

describe("updateSiteSchema", () => {
  it("accepts today's defaults and normalises sizes to upper case", () => {
    const parsed = updateSiteSchema.parse(form({ php: { ...DEFAULT_PHP_SETTINGS, memoryLimit: " 128m " } }));
    expect(parsed.php.memoryLimit).toBe("128M");
    expect(parsed.env).toEqual([]);
    // Missing: kept as they are by the service.
    const { env: _env, ...withoutEnv } = form();
    expect(updateSiteSchema.parse(withoutEnv).env).toBeUndefined();
  });

  it.each([
    [
      "php.memoryLimit",
      { memoryLimit: "lots" },
      "Enter the PHP memory limit as a number with K, M or G (e.g. 128M).",
    ],
    ["php.memoryLimit", { memoryLimit: "8G" }, "PHP memory limit must be between 32M and 4G."],
    ["php.memoryLimit", { memoryLimit: "16M" }, "PHP memory limit must be between 32M and 4G."],
    [
      "php.uploadMaxFilesize",
      { uploadMaxFilesize: "big" },
      "Enter the upload size as a number with K, M or G (e.g. 128M).",
    ],
    ["php.uploadMaxFilesize", { uploadMaxFilesize: "3G" }, "Upload size must be between 1M and 2G."],
    [
      "php.postMaxSize",
      { uploadMaxFilesize: "128M", postMaxSize: "64M" },
      "Post size must be at least the upload size: an upload arrives inside a post.",
    ],
    [
      "php.maxExecutionTime",
      { maxExecutionTime: 0 },
      "Maximum execution time must be a whole number between 1 and 3600.",
    ],
    [
      "php.maxExecutionTime",
      { maxExecutionTime: 2.5 },
      "Maximum execution time must be a whole number between 1 and 3600.",
    ],
    [
      "php.maxInputVars",
      { maxInputVars: 10 },
      "Maximum input variables must be a whole number between 100 and 100000.",
    ],
    ["php.opcache", { opcache: "yes" }, "Choose whether OPcache is on."],
    [
      "php.timezone",
      { timezone: "Mars/Olympus" },
      '"Mars/Olympus" is not a time zone; choose one such as Europe/Paris or UTC.',
    ],
  ])("refuses %s = %j", (field, php, message) => {
    expect(errorsOf(form({ php: { ...DEFAULT_PHP_SETTINGS, ...php } as never }))[field]).toBe(message);
  });

  it("refuses a PHP memory limit above the site's memory", () => {
    expect(
      errorsOf(
        form({
          php: { ...DEFAULT_PHP_SETTINGS, memoryLimit: "512M" },
          resources: { ...DEFAULT_SITE_RESOURCES, memoryMiB: 384 },
        }),
      )["php.memoryLimit"],
    ).toBe("PHP memory limit cannot be more than the site's memory (384 MiB).");
  });

  it.each([
    [
      "resources.cpuMillicores",
      { cpuMillicores: 10 },
      "CPU (millicores) must be a whole number between 50 and 8000.",
    ],
    ["resources.memoryMiB", { memoryMiB: 64 }, "Memory (MiB) must be a whole number between 128 and 16384."],
    ["resources.storageGiB", { storageGiB: 0 }, "Storage (GiB) must be a whole number between 1 and 1024."],
    ["resources.replicas", { replicas: 11 }, "Replicas must be a whole number between 1 and 10."],
  ])("refuses %s = %j", (field, resources, message) => {
    expect(errorsOf(form({ resources: { ...DEFAULT_SITE_RESOURCES, ...resources } }))[field]).toBe(message);
  });

  it.each([
    [
      "lower-case",
      { name: "api_url", value: "x" },
      "env.0.name",
      "Use upper-case letters, digits and underscores, not starting with a digit (e.g. API_URL).",
    ],
    [
      "leading digit",
      { name: "1API", value: "x" },
      "env.0.name",
      "Use upper-case letters, digits and underscores, not starting with a digit (e.g. API_URL).",
    ],
    [
      "reserved",
      { name: "DB_PASSWORD", value: "x" },
      "env.0.name",
      "DB_PASSWORD is set by Sitepod; choose another name.",
    ],
    [
      "reserved prefix",
      { name: "WORDPRESS_AUTH_KEY", value: "x" },
      "env.0.name",
      "WORDPRESS_AUTH_KEY is set by Sitepod; choose another name.",
    ],
    ["plain without value", { name: "API_URL" }, "env.0.value", "Enter a value (it may be empty)."],
    ["too long", { name: "BIG", value: "x".repeat(4097) }, "env.0.value", "Use at most 4096 characters."],
  ])("refuses an environment variable: %s", (_case, variable, field, message) => {
    expect(errorsOf(form({ env: [variable] }))[field]).toBe(message);
  });

  it("refuses a name given twice, on the second", () => {
    const errors = errorsOf(
      form({
        env: [
          { name: "A", value: "1" },
          { name: "A", value: "2" },
        ],
      }),
    );
    expect(errors["env.1.name"]).toBe("A is already in the list.");
    expect(errors["env.0.name"]).toBeUndefined();
  });

  it("lets a secret keep its stored value when none is sent", () => {
    const parsed = updateSiteSchema.parse(form({ env: [{ name: "API_KEY", secret: true }] }));
    expect(parsed.env).toEqual([{ name: "API_KEY", secret: true }]);
  });

  it("refuses a form without the generation it was opened at", () => {
    const { generation: _generation, ...rest } = form();
    expect(errorsOf(rest).generation).toBe("Reload the page: the form's version is missing.");
  });
});

describe("helpers", () => {
  it("reads php.ini sizes", () => {
    expect(phpSizeBytes("128M")).toBe(128 * 1024 * 1024);
    expect(phpSizeBytes("1G")).toBe(1024 ** 3);
    expect(phpSizeBytes("512K")).toBe(512 * 1024);
    expect(phpSizeBytes("0M")).toBeNull();
    expect(phpSizeBytes("12")).toBeNull();
  });

  it("knows IANA zones and UTC", () => {
    expect(timezoneProblem("Europe/Paris")).toBeNull();
    expect(timezoneProblem("UTC")).toBeNull();
    expect(timezoneProblem("")).toBe("Choose a time zone.");
  });

  it("accepts ordinary names", () => {
    expect(envNameProblem("API_URL")).toBeNull();
    expect(envNameProblem("_PRIVATE")).toBeNull();
  });
});
