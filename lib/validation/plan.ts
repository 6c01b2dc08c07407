/**
 * Plan (hosting package) and reseller allotment schemas, written once and shared by the plan
 * forms, the server actions and the REST routes. Messages are shown to users as they are.
 */
import { z } from "zod";
import { displayNameSchema } from "@/lib/validation/display-name";

/** The limits every plan and every allotment carries, in display order. */
export const LIMIT_KEYS = [
  "maxSites",
  "maxDomains",
  "maxDatabases",
  "maxCronJobs",
  "storageGiB",
  "cpuMillicores",
  "memoryMiB",
  "backupsKept",
] as const;

export type LimitKey = (typeof LIMIT_KEYS)[number];
export type Limits = Record<LimitKey, number>;

interface LimitSpec {
  /** As in "Enter the number of <label>." and in quota messages ("3 sites"). */
  singular: string;
  plural: string;
  /** The largest value accepted: far above any real package, well inside a 32-bit INT column. */
  max: number;
}

export const LIMIT_SPECS: Record<LimitKey, LimitSpec> = {
  maxSites: { singular: "site", plural: "sites", max: 100_000 },
  maxDomains: { singular: "domain", plural: "domains", max: 1_000_000 },
  maxDatabases: { singular: "database", plural: "databases", max: 100_000 },
  maxCronJobs: { singular: "cron job", plural: "cron jobs", max: 100_000 },
  storageGiB: { singular: "GiB of storage", plural: "GiB of storage", max: 1_000_000 },
  cpuMillicores: { singular: "CPU millicore", plural: "CPU millicores", max: 10_000_000 },
  memoryMiB: { singular: "MiB of memory", plural: "MiB of memory", max: 100_000_000 },
  backupsKept: { singular: "backup kept", plural: "backups kept", max: 10_000 },
};

/** "1 site", "3 sites", "20 GiB of storage". */
export function formatLimit(key: LimitKey, value: number): string {
  const spec = LIMIT_SPECS[key];
  return `${value} ${value === 1 ? spec.singular : spec.plural}`;
}

/**
 * A whole number from 0 to the limit's maximum. Form fields arrive as strings; an empty field is
 * "not entered", never 0, so that a forgotten field does not silently allow nothing.
 */
export function limitSchema(key: LimitKey) {
  const spec = LIMIT_SPECS[key];
  const required = `Enter the number of ${spec.plural}.`;
  return z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
    z
      .number({ error: required })
      .int({ error: "Enter a whole number." })
      .min(0, { error: "Enter 0 or more." })
      .max(spec.max, { error: `Enter at most ${spec.max}.` }),
  );
}

export const limitsSchema = z.object({
  maxSites: limitSchema("maxSites"),
  maxDomains: limitSchema("maxDomains"),
  maxDatabases: limitSchema("maxDatabases"),
  maxCronJobs: limitSchema("maxCronJobs"),
  storageGiB: limitSchema("storageGiB"),
  cpuMillicores: limitSchema("cpuMillicores"),
  memoryMiB: limitSchema("memoryMiB"),
  backupsKept: limitSchema("backupsKept"),
});

export const PLAN_NAME_MAX_LENGTH = 80;

export const planNameSchema = displayNameSchema({
  required: "Enter a plan name.",
  max: PLAN_NAME_MAX_LENGTH,
});

export const createPlanSchema = z.object({ name: planNameSchema }).extend(limitsSchema.shape);

/** Any subset of the plan's fields; at least one. */
export const updatePlanSchema = createPlanSchema
  .partial()
  .refine((value) => Object.values(value).some((v) => v !== undefined), {
    error: "Change at least one field.",
  });

export type CreatePlanFormValues = z.input<typeof createPlanSchema>;
export type CreatePlanInput = z.output<typeof createPlanSchema>;
export type UpdatePlanInput = z.output<typeof updatePlanSchema>;

export const MAX_OVERSELL_RATIO = 10;

/**
 * How much a reseller may hand out beyond its allotment: 1 = nothing beyond (the default),
 * 1.5 = 50 % more. Two decimals at most, so the figure shown is the figure enforced.
 */
export const oversellRatioSchema = z.preprocess(
  (value) => (typeof value === "string" && value.trim() !== "" ? Number(value.trim()) : value),
  z
    .number({ error: "Enter an oversell ratio (1 means no overselling)." })
    .min(1, { error: "Enter 1 or more (1 means no overselling)." })
    .max(MAX_OVERSELL_RATIO, { error: `Enter at most ${MAX_OVERSELL_RATIO}.` })
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-9, {
      error: "Use at most two decimals.",
    }),
);

export const allotmentSchema = limitsSchema.extend({ oversellRatio: oversellRatioSchema.default(1) });

export type AllotmentFormValues = z.input<typeof allotmentSchema>;
export type AllotmentInput = z.output<typeof allotmentSchema>;

/** The catalogue's query: `offered=true` lists only the plans offered for new accounts and plan changes. */
export const listPlansQuerySchema = z.object({
  offered: z.enum(["true", "false"], { error: 'Use "true" or "false".' }).optional(),
});
