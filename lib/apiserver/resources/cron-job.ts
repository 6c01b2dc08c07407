/**
 * CronJob: a scheduled command of a site, named `<site>.<job>` (job names are unique per site,
 * not per account). Written through createCronJob, updateCronJob and deleteCronJob.
 */
import { z } from "zod";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { CronJob, Prisma } from "@/lib/generated/prisma/client";
import { createCronJob } from "@/lib/services/cron-job/create-cron-job";
import { cronRunSchema, toCronJobView } from "@/lib/services/cron-job/cron-job-view";
import { deleteCronJob } from "@/lib/services/cron-job/delete-cron-job";
import { updateCronJob } from "@/lib/services/cron-job/update-cron-job";
import { cronJobNameProblem, updateCronJobSchema } from "@/lib/validation/cron-job";
import { siteNameProblem } from "@/lib/validation/site";
import { conditionsStatusSchema } from "./common-schemas";
import { ageColumn, type Column, nameColumn, type ObjectRecord, type ResourceDefinition } from "./resource";

const { name: _name, ...specFields } = updateCronJobSchema.shape;

export const cronJobSpecSchema = z
  .object({
    schedule: specFields.schedule.meta({
      description:
        "Five cron fields (minute hour day-of-month month day-of-week), in UTC, as Kubernetes runs them (e.g. 0 3 * * *). Required.",
    }),
    command: specFields.command.meta({
      description: "One line, run with sh -c in the site's runtime, from its document root. Required.",
    }),
    enabled: specFields.enabled.meta({
      description: "false pauses the job (a run in progress finishes). Default true.",
    }),
    concurrencyPolicy: specFields.concurrencyPolicy.meta({
      description: "FORBID (default: skip a run while the previous runs), ALLOW or REPLACE.",
    }),
    successfulJobsHistoryLimit: specFields.successfulJobsHistoryLimit.meta({
      description: "Finished successful runs to keep (default 3).",
    }),
    failedJobsHistoryLimit: specFields.failedJobsHistoryLimit.meta({
      description: "Failed runs to keep (default 1).",
    }),
  })
  .meta({
    description: "What to run and when. A field left out keeps its value (on creation: its default).",
  });

export type CronJobSpec = z.output<typeof cronJobSpecSchema>;

const cronJobStatusSchema = conditionsStatusSchema
  .extend({
    phase: z.enum(["ACTIVE", "PAUSED", "DELETING"]),
    scheduleText: z.string().meta({ description: "The schedule in words, in UTC." }),
    lastScheduleTime: z.string().nullable(),
    lastSuccessfulTime: z.string().nullable(),
    runs: z.array(cronRunSchema).meta({ description: "The runs Kubernetes keeps, newest first." }),
  })
  .meta({ description: "What Sitepod observed of the job." });

const cronInclude = {
  site: { select: { name: true } },
  account: { select: { slug: true } },
} as const satisfies Prisma.CronJobInclude;

type CronRow = CronJob & { site: { name: string }; account: { slug: string } };

function toRecord(row: CronRow): ObjectRecord {
  const view = toCronJobView(row);
  return {
    id: row.id,
    accountId: row.accountId,
    namespace: row.account.slug,
    name: `${row.site.name}.${row.name}`,
    version: { kind: "CronJob", objectId: row.id },
    generation: row.generation,
    createdAt: row.createdAt,
    deletingSince: row.deletionRequestedAt,
    spec: {
      schedule: view.schedule,
      command: view.command,
      enabled: view.enabled,
      concurrencyPolicy: view.concurrencyPolicy,
      successfulJobsHistoryLimit: view.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: view.failedJobsHistoryLimit,
    },
    status: {
      phase: view.state,
      observedGeneration: view.observedGeneration,
      conditions: view.conditions,
      scheduleText: view.scheduleText,
      lastScheduleTime: view.lastScheduleTime,
      lastSuccessfulTime: view.lastSuccessfulTime,
      runs: view.runs,
    },
    group: row.siteId,
  };
}

function splitName(name: string): { site: string; job: string } | null {
  const dot = name.indexOf(".");
  if (dot <= 0 || dot !== name.lastIndexOf(".")) return null;
  return { site: name.slice(0, dot), job: name.slice(dot + 1) };
}

function nameProblem(name: string): string | null {
  const parts = splitName(name);
  if (!parts)
    return "a cron job is named <site>.<job> (e.g. blog.nightly-import): the site's name, a dot, the job's name";
  const site = siteNameProblem(parts.site);
  if (site) return `the site part "${parts.site}": ${site}`;
  const job = cronJobNameProblem(parts.job);
  return job ? `the job part "${parts.job}": ${job}` : null;
}

async function cronRows(where: Prisma.CronJobWhereInput, take?: number): Promise<CronRow[]> {
  return prisma.cronJob.findMany({
    where,
    include: cronInclude,
    orderBy: [{ account: { slug: "asc" } }, { site: { name: "asc" } }, { name: "asc" }],
    ...(take === undefined ? {} : { take }),
  });
}

const FIELDS: Record<string, string> = { name: "metadata.name" };

const columns: Column[] = [
  nameColumn(),
  {
    name: "Schedule",
    type: "string",
    format: "",
    description: "Cron schedule, UTC.",
    priority: 0,
    cell: (r) => r.spec.schedule ?? null,
  },
  {
    name: "Enabled",
    type: "boolean",
    format: "",
    description: "false: paused.",
    priority: 0,
    cell: (r) => r.spec.enabled ?? null,
  },
  {
    name: "Last Schedule",
    type: "date",
    format: "",
    description: "When it last ran.",
    priority: 0,
    cell: (r) => r.status.lastScheduleTime ?? null,
  },
  {
    name: "Phase",
    type: "string",
    format: "",
    description: "ACTIVE, PAUSED or DELETING.",
    priority: 0,
    cell: (r) => r.status.phase ?? null,
  },
  {
    name: "Command",
    type: "string",
    format: "",
    description: "The command.",
    priority: 1,
    cell: (r) => r.spec.command ?? null,
  },
  ageColumn(),
];

export const cronJobResource: ResourceDefinition<CronJobSpec> = {
  kind: "CronJob",
  plural: "cronjobs",
  singular: "cronjob",
  shortNames: ["scj"],
  categories: ["sitepod"],
  namespaced: true,
  description:
    "A scheduled command of a site, named <site>.<job>. The namespace is the account's short name.",
  specSchema: cronJobSpecSchema,
  statusSchema: cronJobStatusSchema,
  columns,
  fieldPath: (field) => FIELDS[field] ?? `spec.${field}`,
  lockTable: "CronJob",
  lockId: (record) => record.id,
  nameProblem,

  async list(actor, { accountId, after, limit }) {
    const split = after ? splitName(after.name) : null;
    const rows = await cronRows(
      {
        AND: [
          { account: await reachableAccountWhere(actor) },
          accountId ? { accountId } : {},
          after && split
            ? {
                OR: [
                  { account: { slug: { gt: after.namespace } } },
                  { account: { slug: after.namespace }, site: { name: { gt: split.site } } },
                  { account: { slug: after.namespace }, site: { name: split.site }, name: { gt: split.job } },
                ],
              }
            : {},
        ],
      },
      limit,
    );
    return rows.map(toRecord);
  },

  async find(actor, account, name) {
    const parts = splitName(name);
    if (!account || !parts) return null;
    const [row] = await cronRows({
      accountId: account.id,
      name: parts.job,
      site: { name: parts.site },
      account: await reachableAccountWhere(actor),
    });
    return row ? toRecord(row) : null;
  },

  async create(actor, account, name, spec) {
    const parts = splitName(name);
    if (!account || !parts) throw new AppError("NOT_FOUND", "Account not found.");
    const site = await prisma.site.findFirst({
      where: { accountId: account.id, name: parts.site },
      select: { id: true },
    });
    if (!site) {
      throw new AppError("INVALID_INPUT", "no such site", {
        name: `Not found: there is no site named "${parts.site}" in this namespace`,
      });
    }
    const view = await createCronJob({ actor, siteId: site.id, input: { ...spec, name: parts.job } });
    return { id: view.id };
  },

  async update(actor, current, spec) {
    const changed = Object.fromEntries(
      Object.entries(spec).filter(([key, value]) => value !== undefined && current.spec[key] !== value),
    );
    if (Object.keys(changed).length > 0)
      await updateCronJob({ actor, cronJobId: current.id, input: changed });
  },

  async remove(actor, current) {
    await deleteCronJob({ actor, cronJobId: current.id });
    return { gone: false };
  },

  watchTargets(row) {
    if (row.kind === "CronJob") return { ids: [row.objectId], groups: [] };
    // A site's rows going takes its cron jobs' rows with it.
    if (row.kind === "Site" && row.action === "DELETED") return { ids: [], groups: [row.objectId] };
    return { ids: [], groups: [] };
  },
  async loadByIds(ids) {
    return (await cronRows({ id: { in: [...ids] } })).map(toRecord);
  },
  async loadGroups(siteIds) {
    return (await cronRows({ siteId: { in: [...siteIds] } })).map(toRecord);
  },
  async loadAll(afterId, limit) {
    const rows = await prisma.cronJob.findMany({
      where: afterId ? { id: { gt: afterId } } : {},
      include: cronInclude,
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(toRecord);
  },
};
