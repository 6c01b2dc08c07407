/**
 * Schemas for a site's domains, shared by the Domains card's forms, the server actions, the REST
 * routes and the services. The hostname rules themselves are domainSchema's (lib/validation/site.ts).
 */
import { z } from "zod";
import { domainSchema } from "@/lib/validation/site";

const booleanField = (message: string) => z.boolean({ error: message });

export const addDomainSchema = z.object({
  domain: domainSchema,
  /** Answer with a 301 to the primary domain instead of serving the site. */
  redirectToPrimary: booleanField("Choose whether the domain redirects to the primary domain.").default(
    false,
  ),
  /** Also add the www counterpart (www.example.com for example.com, and the other way round). */
  includeWww: booleanField("Choose whether to add the www counterpart too.").default(false),
});
export type AddDomainFormValues = z.input<typeof addDomainSchema>;
export type AddDomainInput = z.output<typeof addDomainSchema>;

export const updateDomainSchema = z
  .object({
    /** Only `true`: a site always has one primary, so making another primary is how it changes. */
    isPrimary: z
      .literal(true, { error: "To change the primary domain, make another domain primary." })
      .optional(),
    redirectToPrimary: booleanField("Choose redirect to primary or serve as alias.").optional(),
  })
  .refine((value) => value.isPrimary !== undefined || value.redirectToPrimary !== undefined, {
    error: "Say what to change: isPrimary or redirectToPrimary.",
  });
export type UpdateDomainInput = z.output<typeof updateDomainSchema>;

export const siteRoutingSchema = z.object({
  forceHttps: booleanField("Choose whether to force HTTPS."),
});
export type SiteRoutingInput = z.output<typeof siteRoutingSchema>;

/**
 * The www counterpart of a (valid, punycode) domain: `www.example.com` for `example.com` and
 * `example.com` for `www.example.com`; null when there is none (stripping www would leave a single
 * label, or adding it would make the name too long).
 */
export function wwwCounterpart(hostname: string): string | null {
  if (hostname.startsWith("www.")) {
    const apex = hostname.slice(4);
    return apex.includes(".") ? apex : null;
  }
  const www = `www.${hostname}`;
  return www.length <= 253 ? www : null;
}
