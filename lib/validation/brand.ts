/**
 * A reseller's white label, shared by the Branding form, the server actions and the REST routes.
 * Messages are shown to users as they are.
 */
import { z } from "zod";
import { brandColourProblem, normalizeHexColour } from "@/lib/brand/colour";
import { LOGO_MAX_BYTES } from "@/lib/brand/logo";
import { displayNameSchema } from "@/lib/validation/display-name";
import { domainSchema } from "@/lib/validation/site";

export const BRAND_NAME_MAX_LENGTH = 80;

export const brandNameSchema = displayNameSchema({
  required: "Enter the name your customers see.",
  max: BRAND_NAME_MAX_LENGTH,
});

/** A hex colour that reads on white and carries white text (lib/brand/colour.ts), as "#rrggbb". */
export const brandColourSchema = z
  .string({ error: "Enter a colour as a hex code, e.g. #1d4ed8." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = brandColourProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((value) => normalizeHexColour(value) ?? value);

/**
 * The reseller's own panel address: a domain as a site's (domainSchema: lower-case, punycode, no
 * trailing dot); empty or missing means none. Whether it is free is the service's to say.
 */
export const brandHostnameSchema = z.preprocess(
  (value) =>
    value === undefined || value === null || (typeof value === "string" && value.trim() === "")
      ? null
      : value,
  domainSchema.nullable(),
);

export const updateBrandSchema = z.object({
  name: brandNameSchema,
  primaryColor: brandColourSchema,
  hostname: brandHostnameSchema,
});

export type UpdateBrandFormValues = z.input<typeof updateBrandSchema>;
export type UpdateBrandInput = z.output<typeof updateBrandSchema>;

/** Base64 grows data by a third; a little room for padding. */
const LOGO_MAX_BASE64 = Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 4;

/**
 * A logo upload: the file's bytes as base64 (JSON bodies only, lib/security/csrf.ts). Size and
 * format are checked on the bytes (lib/brand/logo.ts checkLogo).
 */
export const brandLogoSchema = z.object({
  logo: z
    .string({ error: "Choose an image file." })
    .min(1, { error: "Choose an image file." })
    .max(LOGO_MAX_BASE64, { error: `A logo may be at most ${LOGO_MAX_BYTES / 1024} KiB. Export it smaller.` })
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: "The file was not sent as base64." }),
});

export type BrandLogoInput = z.output<typeof brandLogoSchema>;
