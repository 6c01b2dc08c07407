/** Query of the agency view (every client's sites in one table), shared by the page and the REST route. */
import { z } from "zod";

export const CLIENT_SITE_STATUSES = ["PROVISIONING", "RUNNING", "DEGRADED", "SUSPENDED", "DELETING"] as const;
export const CLIENT_SITE_SORTS = ["name", "client", "status", "created"] as const;
export const CLIENT_SITES_PAGE_SIZE = 20;

const emptyAsUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);

/**
 * The filters, sort and page come from a URL a user can edit, bookmark or keep from an older
 * version: a value we do not know falls back to the default (`.catch`) rather than failing the
 * whole page or request.
 */
export const listClientSitesSchema = z.object({
  status: z.preprocess(emptyAsUndefined, z.enum(CLIENT_SITE_STATUSES).optional()).catch(undefined),
  q: z.preprocess(emptyAsUndefined, z.string().trim().max(100).optional()),
  sort: z.preprocess(emptyAsUndefined, z.enum(CLIENT_SITE_SORTS).default("name")).catch("name"),
  dir: z.preprocess(emptyAsUndefined, z.enum(["asc", "desc"]).default("asc")).catch("asc"),
  page: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(1)).catch(1),
  pageSize: z
    .preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(CLIENT_SITES_PAGE_SIZE))
    .catch(CLIENT_SITES_PAGE_SIZE),
});

export type ListClientSitesInput = z.output<typeof listClientSitesSchema>;
