/**
 * The site schema, written once and shared by the create-site form, the server action and the
 * REST route. Messages are shown to users as they are.
 */
import { z } from "zod";
import { reservedSiteNameProblem } from "@/lib/validation/reserved-names";
import { PHP_VERSION_PATTERN } from "@/lib/validation/runtime";

export const SITE_NAME_MAX_LENGTH = 40;
export const SITE_APPS = ["WORDPRESS", "PHP"] as const;

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * A site name: an RFC 1035 label (Services and Deployments need a leading letter) short enough
 * that `<name>-root` and `<name>-files` still fit 63 characters. The one rule the forms, the
 * services and the reconciler (lib/reconciler/site-spec.ts) share.
 */
export const SITE_NAME_PATTERN = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Why `name` is not a valid site name (a DNS-1123 label Kubernetes names derive from), or null. */
export function siteNameProblem(name: string): string | null {
  if (name.length === 0) return "Enter a site name.";
  if (name.length > SITE_NAME_MAX_LENGTH) return `Use at most ${SITE_NAME_MAX_LENGTH} characters.`;
  if (/[A-Z]/.test(name)) return "Use lower-case letters only.";
  if (!/^[a-z]/.test(name)) return "Start the name with a letter (e.g. blog1, not 1blog).";
  if (!SITE_NAME_PATTERN.test(name)) {
    return "Use only lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit (e.g. my-blog).";
  }
  return reservedSiteNameProblem(name);
}

/**
 * The ASCII (punycode) form of an international domain name, as browsers and DNS use it
 * (`bücher.example` -> `xn--bcher-kva.example`), or null when no such form exists (an `xn--` part
 * that is not valid punycode, characters no domain can hold). Names already plain ASCII without an
 * `xn--` part are returned as they are. The WHATWG URL parser does the conversion (UTS #46), so
 * this runs the same in the browser and on the server.
 */
export function domainToAscii(hostname: string): string | null {
  const international = [...hostname].some((ch) => ch.charCodeAt(0) > 127) || hostname.includes("xn--");
  if (!international) return hostname;
  // Characters the URL parser would read as the end of the host or as a port: not part of a name.
  if (/[\s/?#@:%\\[\]]/.test(hostname)) return null;
  try {
    return new URL(`http://${hostname}`).hostname;
  } catch {
    return null;
  }
}

/**
 * Why `hostname` (already trimmed, lower-cased, without trailing dot; international names in
 * either form) is not a usable domain, or null. The checks after the conversion apply to the
 * punycode form, the one stored, routed and certified.
 */
export function domainProblem(hostname: string): string | null {
  if (hostname.length === 0) return "Enter a domain name.";
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(hostname) || hostname.includes("/")) {
    return "Enter just the domain name, without http:// or a path (e.g. example.com).";
  }
  if (hostname.includes("*"))
    return "Wildcard domains are not supported; enter one domain name (e.g. www.example.com).";
  if (hostname.includes(":") || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)) {
    return "Enter a domain name, not an IP address.";
  }
  const ascii = domainToAscii(hostname);
  if (ascii === null) {
    return "This is not a valid international domain name: check its spelling (e.g. bücher.example or xn--bcher-kva.example).";
  }
  if (ascii.length > 253) return "A domain name can have at most 253 characters (counted in its xn-- form).";
  const labels = ascii.split(".");
  if (labels.length < 2) return "Enter a full domain name with a dot (e.g. example.com).";
  for (const label of labels) {
    if (label.length === 0)
      return "A domain name cannot have empty parts (two dots in a row or a leading dot).";
    if (label.length > 63)
      return "Each part of a domain name can have at most 63 characters (counted in its xn-- form).";
    if (!LABEL.test(label)) {
      return "Use only letters, digits and hyphens in each part of the domain; a part cannot start or end with a hyphen.";
    }
  }
  if (/^\d+$/.test(labels[labels.length - 1] ?? ""))
    return "The last part of a domain name cannot be all digits.";
  return null;
}

export const siteNameSchema = z
  .string({ error: "Enter a site name." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = siteNameProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * Trims, lower-cases and strips one trailing dot (the DNS root), checks hostname rules, and gives
 * the punycode form: what is stored, unique and routed. International names are accepted as typed.
 */
export const domainSchema = z
  .string({ error: "Enter a domain name." })
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/\.$/, ""))
  .superRefine((value, ctx) => {
    const problem = domainProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  // Valid past the refinement, so the conversion succeeds.
  .transform((value) => domainToAscii(value) ?? value);

export const SITE_TITLE_MAX_LENGTH = 120;
export const ADMIN_USER_MAX_LENGTH = 60;
export const DEFAULT_ADMIN_USER = "admin";

/** Why `title` (already trimmed) cannot be the site's title, or null. Empty means "use the name". */
export function siteTitleProblem(title: string): string | null {
  if (title.length > SITE_TITLE_MAX_LENGTH) return `Use at most ${SITE_TITLE_MAX_LENGTH} characters.`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f]/.test(title)) return "Use a title on one line, without control characters.";
  return null;
}

/**
 * Why `user` cannot be the WordPress admin's user name, or null. WordPress itself accepts more
 * (spaces, @); this keeps names that are easy to type and never need escaping.
 */
export function adminUserProblem(user: string): string | null {
  if (user.length === 0) return "Enter a user name for the WordPress admin.";
  if (user.length < 3) return "Use at least 3 characters.";
  if (user.length > ADMIN_USER_MAX_LENGTH) return `Use at most ${ADMIN_USER_MAX_LENGTH} characters.`;
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(user)) {
    return "Use only lower-case letters, digits, dots, hyphens and underscores, starting with a letter or digit (e.g. admin).";
  }
  return null;
}

export const siteTitleSchema = z
  .string({ error: "Enter a title as text." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = siteTitleProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

export const adminUserSchema = z
  .string({ error: "Enter a user name for the WordPress admin." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = adminUserProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * The shape only: which versions exist is the runtime catalog's business, checked by createSite
 * against the catalog in its transaction. Missing or empty: the newest version offered.
 */
export const phpVersionSchema = z.preprocess(
  (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
  z
    .string({ error: "Choose a PHP version from the list." })
    .trim()
    .regex(PHP_VERSION_PATTERN, { error: "Choose a PHP version from the list." })
    .optional(),
);
export const siteAppSchema = z.enum(SITE_APPS, { error: "Choose WordPress or plain PHP." });

/** The files volume of one site, in GiB (it can only grow: lib/validation/site-settings.ts). */
export const SITE_STORAGE_BOUNDS = { min: 1, max: 1024 } as const;
const STORAGE_MESSAGE = `Storage (GiB) must be a whole number between ${SITE_STORAGE_BOUNDS.min} and ${SITE_STORAGE_BOUNDS.max}.`;

export const storageGiBSchema = z.coerce
  .number({ error: STORAGE_MESSAGE })
  .int({ error: STORAGE_MESSAGE })
  .min(SITE_STORAGE_BOUNDS.min, { error: STORAGE_MESSAGE })
  .max(SITE_STORAGE_BOUNDS.max, { error: STORAGE_MESSAGE });

export const createSiteSchema = z.object({
  name: siteNameSchema,
  domain: domainSchema,
  phpVersion: phpVersionSchema,
  app: siteAppSchema.default("WORDPRESS"),
  /** Missing or empty: the site's name. */
  title: siteTitleSchema.optional(),
  /** The first WordPress admin's user name (WordPress sites only). */
  adminUser: adminUserSchema.default(DEFAULT_ADMIN_USER),
  /** Missing or empty: SITEPOD_SITE_STORAGE, or what the plan has left when that is less. */
  storageGiB: z.preprocess(
    (value) => (value === "" || value === null ? undefined : value),
    storageGiBSchema.optional(),
  ),
});

/** What the form sends (phpVersion and app may be missing: the newest PHP offered, WordPress). */
export type CreateSiteFormValues = z.input<typeof createSiteSchema>;
/** What services receive after parsing. */
export type CreateSiteInput = z.output<typeof createSiteSchema>;
