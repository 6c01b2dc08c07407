import { z } from "zod";

/** Ids are cuids; anything else cannot name a row, so it is rejected before a query. */
export const idSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9]+$/i, "Invalid id");

export const accountParamsSchema = z.object({ accountId: idSchema });
export const siteParamsSchema = z.object({ siteId: idSchema });
export const siteDomainParamsSchema = z.object({ siteId: idSchema, domainId: idSchema });
export const cronJobParamsSchema = z.object({ cronJobId: idSchema });
