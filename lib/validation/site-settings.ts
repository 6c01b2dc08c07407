/**
 * A site's settings (PHP, environment variables, resources), written once and shared by the
 * settings form, the server action, the REST route, the service and the reconciler (which parses
 * the stored JSON with the same rules). Messages are shown to users as they are.
 */
import { z } from "zod";
import { phpVersionSchema, SITE_STORAGE_BOUNDS, storageGiBSchema } from "@/lib/validation/site";

// ---------------------------------------------------------------------------------------------
// PHP settings

/** PHP's shorthand byte sizes, as php.ini takes them: 512K, 128M, 1G. */
const SIZE = /^([1-9][0-9]{0,6})([KMG])$/;
const UNIT_BYTES = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as const;

/** Bytes of a php.ini size ("128M" -> 134217728), or null when it is not one. */
export function phpSizeBytes(size: string): number | null {
  const match = SIZE.exec(size);
  if (!match) return null;
  return Number(match[1]) * UNIT_BYTES[match[2] as keyof typeof UNIT_BYTES];
}

/** MiB of a php.ini size, rounded up. */
export function phpSizeMiB(size: string): number | null {
  const bytes = phpSizeBytes(size);
  return bytes === null ? null : Math.ceil(bytes / UNIT_BYTES.M);
}

interface SizeBounds {
  label: string;
  /** The label inside a sentence: lower case but for its acronyms. */
  noun: string;
  min: string;
  max: string;
}

export const PHP_SIZE_BOUNDS = {
  memoryLimit: { label: "PHP memory limit", noun: "PHP memory limit", min: "32M", max: "4G" },
  uploadMaxFilesize: { label: "Upload size", noun: "upload size", min: "1M", max: "2G" },
  postMaxSize: { label: "Post size", noun: "post size", min: "1M", max: "2G" },
} as const satisfies Record<string, SizeBounds>;

export const MAX_EXECUTION_TIME = { min: 1, max: 3600 } as const;
export const MAX_INPUT_VARS = { min: 100, max: 100_000 } as const;

/** Why `size` (trimmed, upper-cased) cannot be that php.ini size, or null. */
export function phpSizeProblem(size: string, bounds: SizeBounds): string | null {
  const bytes = phpSizeBytes(size);
  if (bytes === null) return `Enter the ${bounds.noun} as a number with K, M or G (e.g. 128M).`;
  const min = phpSizeBytes(bounds.min) ?? 0;
  const max = phpSizeBytes(bounds.max) ?? 0;
  if (bytes < min || bytes > max) return `${bounds.label} must be between ${bounds.min} and ${bounds.max}.`;
  return null;
}

let timezones: Set<string> | undefined;

/** IANA zones this runtime knows (Intl's list), and UTC, which Intl lists only as an alias. */
export function timezoneNames(): string[] {
  timezones ??= new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  return [...timezones];
}

export function timezoneProblem(zone: string): string | null {
  if (zone.length === 0) return "Choose a time zone.";
  timezoneNames();
  if (!timezones?.has(zone))
    return `"${zone.slice(0, 60)}" is not a time zone; choose one such as Europe/Paris or UTC.`;
  return null;
}

function sizeSchema(bounds: SizeBounds) {
  return z
    .string({ error: `Enter the ${bounds.noun} (e.g. 128M).` })
    .trim()
    .toUpperCase()
    .superRefine((value, ctx) => {
      const problem = phpSizeProblem(value, bounds);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

function intSchema(label: string, bounds: { min: number; max: number }) {
  const message = `${label} must be a whole number between ${bounds.min} and ${bounds.max}.`;
  return z.coerce
    .number({ error: message })
    .int({ error: message })
    .min(bounds.min, { error: message })
    .max(bounds.max, { error: message });
}

/** Today's php.ini (before settings existed): what a site without settings keeps. */
export const DEFAULT_PHP_SETTINGS = {
  memoryLimit: "256M",
  uploadMaxFilesize: "64M",
  postMaxSize: "64M",
  maxExecutionTime: 60,
  maxInputVars: 1000,
  opcache: true,
  displayErrors: false,
  timezone: "UTC",
} as const;

export const phpSettingsSchema = z
  .object({
    memoryLimit: sizeSchema(PHP_SIZE_BOUNDS.memoryLimit),
    uploadMaxFilesize: sizeSchema(PHP_SIZE_BOUNDS.uploadMaxFilesize),
    postMaxSize: sizeSchema(PHP_SIZE_BOUNDS.postMaxSize),
    maxExecutionTime: intSchema("Maximum execution time", MAX_EXECUTION_TIME),
    maxInputVars: intSchema("Maximum input variables", MAX_INPUT_VARS),
    opcache: z.boolean({ error: "Choose whether OPcache is on." }),
    displayErrors: z.boolean({ error: "Choose whether PHP shows errors in pages." }),
    timezone: z
      .string({ error: "Choose a time zone." })
      .trim()
      .superRefine((value, ctx) => {
        const problem = timezoneProblem(value);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  })
  .superRefine((php, ctx) => {
    const upload = phpSizeBytes(php.uploadMaxFilesize);
    const post = phpSizeBytes(php.postMaxSize);
    // PHP refuses a whole request above post_max_size, so a file as big as the upload limit must fit.
    if (upload !== null && post !== null && post < upload) {
      ctx.addIssue({
        code: "custom",
        path: ["postMaxSize"],
        message: "Post size must be at least the upload size: an upload arrives inside a post.",
      });
    }
  });

export type PhpSettings = z.output<typeof phpSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Environment variables

export const ENV_NAME_PATTERN = /^[A-Z_][A-Z0-9_]*$/;
export const ENV_NAME_MAX_LENGTH = 128;
export const ENV_VALUE_MAX_LENGTH = 4096;
export const ENV_MAX_COUNT = 50;

/** Names Sitepod sets itself (the database, the site's URL, WordPress's salts) or the runtime needs. */
const RESERVED_ENV_NAMES = new Set([
  "DB_HOST",
  "DB_NAME",
  "DB_USER",
  "DB_PASSWORD",
  "PATH",
  "HOME",
  "HOSTNAME",
  "PWD",
  "USER",
  "SHELL",
  "TMPDIR",
  "PHP_INI_DIR",
  "PHP_INI_SCAN_DIR",
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
]);
const RESERVED_ENV_PREFIXES = ["SITEPOD_", "WORDPRESS_", "KUBERNETES_"];

/** Why `name` cannot be one of the site's environment variables, or null. */
export function envNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter a variable name.";
  if (name.length > ENV_NAME_MAX_LENGTH) return `Use at most ${ENV_NAME_MAX_LENGTH} characters.`;
  if (!ENV_NAME_PATTERN.test(name)) {
    return "Use upper-case letters, digits and underscores, not starting with a digit (e.g. API_URL).";
  }
  if (RESERVED_ENV_NAMES.has(name) || RESERVED_ENV_PREFIXES.some((prefix) => name.startsWith(prefix))) {
    return `${name} is set by Sitepod; choose another name.`;
  }
  return null;
}

/** Why `value` cannot be a variable's value, or null. */
export function envValueProblem(value: string): string | null {
  if (value.length > ENV_VALUE_MAX_LENGTH) return `Use at most ${ENV_VALUE_MAX_LENGTH} characters.`;
  if (value.includes("\u0000")) return "A value cannot contain a NUL character.";
  return null;
}

const envValueSchema = z.string({ error: "Enter the value as text." }).superRefine((value, ctx) => {
  const problem = envValueProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/**
 * One variable as the form sends it. A secret's stored value is never sent back: `value` missing
 * keeps the value it has (refused for a secret that has none yet), a string replaces it.
 */
export const envVarInputSchema = z.object({
  name: z
    .string({ error: "Enter a variable name." })
    .trim()
    .superRefine((value, ctx) => {
      const problem = envNameProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  secret: z.boolean({ error: "Choose whether the variable is secret." }).default(false),
  value: envValueSchema.optional(),
});

export const envVarsInputSchema = z
  .array(envVarInputSchema, { error: "Send the environment variables as a list." })
  .max(ENV_MAX_COUNT, { error: `A site can have at most ${ENV_MAX_COUNT} environment variables.` })
  .superRefine((vars, ctx) => {
    const seen = new Set<string>();
    vars.forEach((v, index) => {
      if (seen.has(v.name)) {
        ctx.addIssue({ code: "custom", path: [index, "name"], message: `${v.name} is already in the list.` });
      }
      seen.add(v.name);
      if (!v.secret && v.value === undefined) {
        ctx.addIssue({ code: "custom", path: [index, "value"], message: "Enter a value (it may be empty)." });
      }
    });
  });

export type EnvVarInput = z.output<typeof envVarInputSchema>;

/** How variables are stored on the site (Site.envVars): secret values only sealed. */
export const storedEnvVarSchema = z.discriminatedUnion("secret", [
  z.object({ name: z.string(), secret: z.literal(false), value: z.string() }),
  z.object({ name: z.string(), secret: z.literal(true), sealed: z.string().min(1) }),
]);
export type StoredEnvVar = z.output<typeof storedEnvVarSchema>;
export const storedEnvVarsSchema = z.array(storedEnvVarSchema);

// ---------------------------------------------------------------------------------------------
// Resources

export const RESOURCE_BOUNDS = {
  /** Guaranteed CPU of the PHP container; it may burst to CPU_BURST_FACTOR times this. */
  cpuMillicores: { min: 50, max: 8000 },
  /** Memory of the PHP container (its limit: the plan counts limits). */
  memoryMiB: { min: 128, max: 16_384 },
  storageGiB: SITE_STORAGE_BOUNDS,
  replicas: { min: 1, max: 10 },
} as const;

/**
 * Today's sizes (before settings existed): the PHP container's memory limit and the files volume
 * are unchanged; CPU is guaranteed at a quarter of the 1-core burst the container always had.
 */
export const DEFAULT_SITE_RESOURCES = {
  cpuMillicores: 100,
  memoryMiB: 384,
  storageGiB: 5,
  replicas: 1,
} as const;

export const resourcesSchema = z.object({
  cpuMillicores: intSchema("CPU (millicores)", RESOURCE_BOUNDS.cpuMillicores),
  memoryMiB: intSchema("Memory (MiB)", RESOURCE_BOUNDS.memoryMiB),
  storageGiB: storageGiBSchema,
  replicas: intSchema("Replicas", RESOURCE_BOUNDS.replicas),
});
export type SiteResourceSettings = z.output<typeof resourcesSchema>;

/**
 * How many pods a site may run. Every site keeps its files on one ReadWriteOnce volume: pods on
 * two nodes could not both mount it, and WordPress writes uploads and plugins there.
 */
export function replicaLimit(app: "WORDPRESS" | "PHP"): { max: number; reason: string } {
  return {
    max: 1,
    reason:
      app === "WORDPRESS"
        ? "WordPress keeps its uploads and plugins on one ReadWriteOnce volume, which only one node can mount: it runs one pod."
        : "The site's files are on one ReadWriteOnce volume, which only one node can mount: it runs one pod.",
  };
}

// ---------------------------------------------------------------------------------------------
// The whole form

export const updateSiteSchema = z
  .object({
    /** The site's generation when the form was opened: a save against a newer one is refused. */
    generation: z.coerce
      .number({ error: "Reload the page: the form's version is missing." })
      .int({ error: "Reload the page: the form's version is missing." })
      .min(1, { error: "Reload the page: the form's version is missing." }),
    phpVersion: phpVersionSchema,
    php: phpSettingsSchema,
    /** Missing: the variables stay as they are (an API client changing PHP only need not resend them). */
    env: envVarsInputSchema.optional(),
    resources: resourcesSchema,
  })
  .superRefine((input, ctx) => {
    const memoryLimit = phpSizeMiB(input.php.memoryLimit);
    // One request may use memory_limit; more than the container has gets it killed instead.
    if (memoryLimit !== null && memoryLimit > input.resources.memoryMiB) {
      ctx.addIssue({
        code: "custom",
        path: ["php", "memoryLimit"],
        message: `PHP memory limit cannot be more than the site's memory (${input.resources.memoryMiB} MiB).`,
      });
    }
  });

export type UpdateSiteFormValues = z.input<typeof updateSiteSchema>;
export type UpdateSiteInput = z.output<typeof updateSiteSchema>;
