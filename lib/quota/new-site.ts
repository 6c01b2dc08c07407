/**
 * Whether an account's plan has room for one more site, before anyone fills the new-site form.
 * The smallest site Sitepod creates: one site, its domain, 1 GiB of storage and the default CPU and
 * memory (a plain PHP site; WordPress also needs a database, which the form's refusal explains).
 * Pure: the panel asks it with the account's quota; createSite still decides under its lock.
 */
import { checkAddition, type Usage } from "@/lib/quota/limits";
import { siteFootprint } from "@/lib/quota/site-footprint";
import type { Limits } from "@/lib/validation/plan";
import { DEFAULT_SITE_RESOURCES } from "@/lib/validation/site-settings";

/** What the smallest new site adds to its account's usage. */
export const SMALLEST_SITE: Partial<Usage> = {
  maxSites: 1,
  maxDomains: 1,
  ...siteFootprint({ ...DEFAULT_SITE_RESOURCES, storageGiB: 1 }),
};

/**
 * Why the account's plan leaves no room for a new site, in the words of the refusal createSite
 * would give, or null when it does (or when the account has no plan: nothing is limited).
 */
export function newSiteLimitReason(quota: { plan: Limits | null; usage: Usage }): string | null {
  return checkAddition(quota.plan, quota.usage, SMALLEST_SITE)?.message ?? null;
}
