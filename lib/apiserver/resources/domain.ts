/**
 * Domain: one hostname a site answers on, named by the hostname itself (unique on the platform).
 * Written through addDomain, updateDomain and removeDomain; its changes are the site's (Site
 * change-log rows), so a domain's resourceVersion is its site's. The primary domain is chosen on
 * the Site (spec.primaryDomain).
 */
import { z } from "zod";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { addDomain } from "@/lib/services/domain/add-domain";
import { platformTlsFromEnv, toDomainView } from "@/lib/services/domain/domain-view";
import { removeDomain } from "@/lib/services/domain/remove-domain";
import { updateDomain } from "@/lib/services/domain/update-domain";
import { domainProblem, domainSchema, siteNameSchema } from "@/lib/validation/site";
import { ageColumn, type Column, nameColumn, type ObjectRecord, type ResourceDefinition } from "./resource";

export const domainSpecSchema = z
  .object({
    site: siteNameSchema.optional().meta({
      description:
        "The name of the site (in the same namespace) the domain belongs to. Required; cannot change.",
    }),
    redirectToPrimary: z.boolean({ error: "Say true or false." }).optional().meta({
      description:
        "Answer with a 301 to the site's primary domain instead of serving the site. Ignored on the primary domain.",
    }),
  })
  .meta({ description: "Which site the domain serves, and how." });

export type DomainSpec = z.output<typeof domainSpecSchema>;

const domainStatusSchema = z
  .object({
    primary: z.boolean().meta({ description: "Whether this is the site's primary domain." }),
    unicodeHostname: z
      .string()
      .meta({ description: "The name as people read it (for international names)." }),
    tls: z
      .object({ state: z.string(), message: z.string().optional() })
      .loose()
      .meta({ description: "The domain's certificate, as Sitepod last observed it." }),
  })
  .meta({ description: "What Sitepod observed of the domain." });

const domainInclude = {
  site: {
    select: {
      id: true,
      name: true,
      accountId: true,
      deletionRequestedAt: true,
      account: { select: { slug: true } },
    },
  },
} as const satisfies Prisma.DomainInclude;

type DomainRow = Prisma.DomainGetPayload<{ include: typeof domainInclude }>;

function toRecord(row: DomainRow): ObjectRecord {
  const view = toDomainView(row, platformTlsFromEnv());
  return {
    id: row.id,
    accountId: row.site.accountId,
    namespace: row.site.account.slug,
    name: row.hostname,
    version: { kind: "Site", objectId: row.siteId },
    generation: null,
    createdAt: row.createdAt,
    deletingSince: row.site.deletionRequestedAt,
    spec: { site: row.site.name, redirectToPrimary: view.redirectToPrimary },
    status: { primary: view.isPrimary, unicodeHostname: view.unicodeHostname, tls: view.tls },
    group: row.siteId,
  };
}

async function domainRows(where: Prisma.DomainWhereInput, take?: number): Promise<DomainRow[]> {
  return prisma.domain.findMany({
    where,
    include: domainInclude,
    orderBy: [{ site: { account: { slug: "asc" } } }, { hostname: "asc" }],
    ...(take === undefined ? {} : { take }),
  });
}

function nameProblem(name: string): string | null {
  const problem = domainProblem(name);
  if (problem) return problem;
  const normalized = domainSchema.safeParse(name);
  if (normalized.success && normalized.data !== name) {
    return `use the domain's lower-case ASCII form as the name: ${normalized.data}`;
  }
  return null;
}

const FIELDS: Record<string, string> = {
  domain: "metadata.name",
  redirectToPrimary: "spec.redirectToPrimary",
  isPrimary: "spec",
  includeWww: "spec",
};

const columns: Column[] = [
  nameColumn(),
  {
    name: "Site",
    type: "string",
    format: "",
    description: "The site.",
    priority: 0,
    cell: (r) => r.spec.site ?? null,
  },
  {
    name: "Primary",
    type: "boolean",
    format: "",
    description: "The site's primary domain.",
    priority: 0,
    cell: (r) => r.status.primary ?? false,
  },
  {
    name: "Redirect",
    type: "boolean",
    format: "",
    description: "Redirects to the primary domain.",
    priority: 0,
    cell: (r) => r.spec.redirectToPrimary ?? false,
  },
  {
    name: "TLS",
    type: "string",
    format: "",
    description: "The certificate's state.",
    priority: 0,
    cell: (r) => (r.status.tls as { state?: string } | undefined)?.state ?? null,
  },
  ageColumn(),
];

async function siteIdByName(accountId: string, name: string | undefined): Promise<string> {
  if (!name)
    throw new AppError("INVALID_INPUT", "Required value", {
      site: "Required value: name the site the domain belongs to",
    });
  const site = await prisma.site.findFirst({ where: { accountId, name }, select: { id: true } });
  if (!site) {
    throw new AppError("INVALID_INPUT", "no such site", {
      site: `Not found: there is no site named "${name}" in this namespace`,
    });
  }
  return site.id;
}

export const domainResource: ResourceDefinition<DomainSpec> = {
  kind: "Domain",
  plural: "domains",
  singular: "domain",
  shortNames: ["dom"],
  categories: ["sitepod"],
  namespaced: true,
  description:
    "A domain a site answers on, named by the domain itself. The namespace is the account's short name.",
  specSchema: domainSpecSchema,
  statusSchema: domainStatusSchema,
  columns,
  fieldPath: (field) => FIELDS[field] ?? `spec.${field}`,
  lockTable: "Site",
  lockId: (record) => record.group as string,
  nameProblem,

  async list(actor, { accountId, after, limit }) {
    const rows = await domainRows(
      {
        AND: [
          { site: { account: await reachableAccountWhere(actor) } },
          accountId ? { site: { accountId } } : {},
          after
            ? {
                OR: [
                  { site: { account: { slug: { gt: after.namespace } } } },
                  { site: { account: { slug: after.namespace } }, hostname: { gt: after.name } },
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
    if (!account) return null;
    const [row] = await domainRows({
      hostname: name,
      site: { accountId: account.id, account: await reachableAccountWhere(actor) },
    });
    return row ? toRecord(row) : null;
  },

  async create(actor, account, name, spec) {
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    const siteId = await siteIdByName(account.id, spec.site);
    await addDomain({
      actor,
      siteId,
      input: { domain: name, redirectToPrimary: spec.redirectToPrimary ?? false, includeWww: false },
    });
    const created = await prisma.domain.findFirstOrThrow({
      where: { siteId, hostname: name },
      select: { id: true },
    });
    return { id: created.id };
  },

  async update(actor, current, spec) {
    if (spec.site !== undefined && spec.site !== current.spec.site) {
      throw new AppError("INVALID_INPUT", "field is immutable", { site: "field is immutable" });
    }
    if (spec.redirectToPrimary !== undefined && spec.redirectToPrimary !== current.spec.redirectToPrimary) {
      await updateDomain({
        actor,
        siteId: current.group as string,
        domainId: current.id,
        input: { redirectToPrimary: spec.redirectToPrimary },
      });
    }
  },

  async remove(actor, current) {
    await removeDomain({ actor, siteId: current.group as string, domainId: current.id });
    return { gone: true };
  },

  watchTargets(row) {
    return row.kind === "Site" ? { ids: [], groups: [row.objectId] } : { ids: [], groups: [] };
  },
  async loadByIds(ids) {
    return (await domainRows({ id: { in: [...ids] } })).map(toRecord);
  },
  async loadGroups(siteIds) {
    return (await domainRows({ siteId: { in: [...siteIds] } })).map(toRecord);
  },
  async loadAll(afterId, limit) {
    const rows = await prisma.domain.findMany({
      where: afterId ? { id: { gt: afterId } } : {},
      include: domainInclude,
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(toRecord);
  },
};
