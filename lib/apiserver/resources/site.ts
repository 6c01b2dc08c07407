/**
 * Site: a PHP site (WordPress or plain PHP) of an account. Written through createSite,
 * updateSite, setForceHttps, updateDomain and deleteSite; read with the same scope as the panel.
 */
import { z } from "zod";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { setForceHttps } from "@/lib/services/domain/set-force-https";
import { updateDomain } from "@/lib/services/domain/update-domain";
import { createSite } from "@/lib/services/site/create-site";
import { deleteSite } from "@/lib/services/site/delete-site";
import { updateSite } from "@/lib/services/site/update-site";
import {
  domainSchema,
  phpVersionSchema,
  SITE_APPS,
  siteNameProblem,
  siteTitleSchema,
} from "@/lib/validation/site";
import { envVarsInputSchema, phpSettingsSchema, resourcesSchema } from "@/lib/validation/site-settings";
import { type SiteForView, siteViewInclude, toSiteView } from "@/lib/views";
import { kubeFieldPath, splitServiceField } from "../status";
import { conditionsStatusSchema } from "./common-schemas";
import { ageColumn, type Column, type ObjectRecord, nameColumn, type ResourceDefinition } from "./resource";

/** The shape with every field optional (a field left out keeps its value), described for explain. */
function optionalFields<T extends z.ZodRawShape>(shape: T, descriptions: { [K in keyof T]: string }) {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [
      key,
      (schema as z.ZodType).optional().meta({ description: descriptions[key as keyof T] }),
    ]),
  ) as unknown as { [K in keyof T]: z.ZodOptional<T[K]> };
}

const PHP_FIELDS = {
  memoryLimit: "memory_limit: what one request may use, like 256M (32M to 4G, at most the site's memory).",
  uploadMaxFilesize: "upload_max_filesize, like 64M (1M to 2G).",
  postMaxSize: "post_max_size, like 64M (1M to 2G; at least the upload size).",
  maxExecutionTime: "max_execution_time in seconds (1 to 3600).",
  maxInputVars: "max_input_vars (100 to 100000).",
  opcache: "Whether OPcache is on.",
  displayErrors: "Whether PHP shows errors in pages (display_errors).",
  timezone: "date.timezone: an IANA zone such as Europe/Paris, or UTC.",
};

const RESOURCE_FIELDS = {
  cpuMillicores: "Guaranteed CPU of the PHP container in millicores (50 to 8000); it may burst above.",
  memoryMiB: "Memory of the PHP container in MiB (128 to 16384).",
  storageGiB: "Size of the site's files volume in GiB (1 to 1024); it can only grow.",
  replicas: "How many pods serve the site (1: the files volume is ReadWriteOnce).",
};

const phpSpecSchema = z.object(optionalFields(phpSettingsSchema.shape, PHP_FIELDS)).meta({
  description:
    "php.ini settings. A field left out keeps its value (on creation: Sitepod's default). Checked as in the panel: sizes like 128M, post size at least the upload size, memory limit within the site's memory.",
});

const resourcesSpecSchema = z.object(optionalFields(resourcesSchema.shape, RESOURCE_FIELDS)).meta({
  description:
    "What the site runs with, counted against the account's plan. A field left out keeps its value. Storage can only grow.",
});

export const siteSpecSchema = z
  .object({
    app: z.enum(SITE_APPS, { error: "Choose WORDPRESS or PHP." }).optional().meta({
      description:
        "WORDPRESS (Sitepod installs and runs WordPress) or PHP (your own code). Default WORDPRESS. Cannot change once the site exists.",
    }),
    primaryDomain: domainSchema.optional().meta({
      description:
        "The domain the site answers on first. Required to create a site. Afterwards, naming another of the site's domains (a Domain object) makes it the primary.",
    }),
    title: siteTitleSchema.optional().meta({
      description:
        "The site's title (WordPress's blog name at install). Default: the name. Cannot change once the site exists.",
    }),
    phpVersion: phpVersionSchema.meta({
      description:
        'The PHP version, one of the runtime catalog\'s (e.g. "8.4"). Left out on creation: the newest offered; left out later: unchanged.',
    }),
    php: phpSpecSchema.optional(),
    env: envVarsInputSchema.optional().meta({
      description:
        "Environment variables of the site's PHP. A secret variable's value is never shown again: leave its value out to keep it. Left out: unchanged.",
    }),
    resources: resourcesSpecSchema.optional(),
    forceHttps: z
      .boolean({ error: "Say true or false." })
      .optional()
      .meta({ description: "Visitors of the site's own domains on http:// are redirected to https://." }),
  })
  .meta({ description: "What the site's owner asks for." });

export type SiteSpec = z.output<typeof siteSpecSchema>;

const siteStatusSchema = conditionsStatusSchema
  .extend({
    phase: z
      .enum(["PROVISIONING", "RUNNING", "DEGRADED", "DELETING", "SUSPENDED"])
      .meta({ description: "A summary of the conditions." }),
    platformHostname: z.string().meta({ description: "The hostname the platform gives the site." }),
    url: z.string().meta({ description: "The platform hostname as a link." }),
    domains: z.array(z.string()).meta({ description: "Every domain of the site, the primary first." }),
    wordpressAdmin: z
      .object({ username: z.string(), email: z.string(), password: z.string() })
      .optional()
      .meta({
        description: "In the response to the creation only: WordPress's first admin. Never shown again.",
      }),
  })
  .meta({ description: "What Sitepod observed of the site." });

type SiteRow = SiteForView & { title: string; forceHttps: boolean };

function toRecord(row: SiteRow): ObjectRecord {
  const view = toSiteView(row);
  const spec: Record<string, unknown> = {
    app: view.app,
    primaryDomain: view.primaryDomain,
    title: row.title,
    phpVersion: view.phpVersion,
    php: { ...view.settings.php },
    env: view.settings.env.map((v) =>
      v.secret ? { name: v.name, secret: true } : { name: v.name, value: v.value },
    ),
    resources: { ...view.settings.resources },
    forceHttps: row.forceHttps,
  };
  const status: Record<string, unknown> = {
    phase: view.phase,
    observedGeneration: view.observedGeneration,
    conditions: view.conditions,
    platformHostname: view.platformHostname,
    url: view.platformUrl,
    domains: view.domains,
  };
  return {
    id: row.id,
    accountId: row.accountId,
    namespace: row.account.slug,
    name: row.name,
    version: { kind: "Site", objectId: row.id },
    generation: row.generation,
    createdAt: row.createdAt,
    deletingSince: row.deletionRequestedAt,
    spec,
    status,
    group: null,
  };
}

const SERVICE_FIELDS: Record<string, string> = {
  name: "metadata.name",
  domain: "spec.primaryDomain",
  storageGiB: "spec.resources.storageGiB",
  generation: "metadata.resourceVersion",
};

function fieldPath(serviceField: string): string {
  return SERVICE_FIELDS[serviceField] ?? `spec.${kubeFieldPath(splitServiceField(serviceField))}`;
}

function immutable(field: string): AppError {
  return new AppError("INVALID_INPUT", "field is immutable", { [field]: "field is immutable" });
}

const siteColumns: Column[] = [
  nameColumn(),
  {
    name: "App",
    type: "string",
    format: "",
    description: "WORDPRESS or PHP.",
    priority: 0,
    cell: (r) => r.spec.app ?? null,
  },
  {
    name: "PHP",
    type: "string",
    format: "",
    description: "The PHP version.",
    priority: 0,
    cell: (r) => r.spec.phpVersion ?? null,
  },
  {
    name: "Primary Domain",
    type: "string",
    format: "",
    description: "The domain the site answers on first.",
    priority: 0,
    cell: (r) => r.spec.primaryDomain ?? null,
  },
  {
    name: "Phase",
    type: "string",
    format: "",
    description: "A summary of the conditions.",
    priority: 0,
    cell: (r) => r.status.phase ?? null,
  },
  {
    name: "URL",
    type: "string",
    format: "",
    description: "The platform hostname as a link.",
    priority: 1,
    cell: (r) => r.status.url ?? null,
  },
  ageColumn(),
];

async function siteRows(where: Prisma.SiteWhereInput, take?: number): Promise<SiteRow[]> {
  return prisma.site.findMany({
    where,
    include: siteViewInclude,
    orderBy: [{ account: { slug: "asc" } }, { name: "asc" }],
    ...(take === undefined ? {} : { take }),
  });
}

function sameEnv(current: unknown, desired: SiteSpec["env"]): boolean {
  if (desired === undefined) return true;
  const have = (current as { name: string; value?: string; secret?: boolean }[]) ?? [];
  if (have.length !== desired.length) return false;
  return desired.every((v, i) => {
    const old = have[i];
    if (!old || old.name !== v.name || Boolean(old.secret) !== v.secret) return false;
    // A secret with a value is a new value; without one it keeps the stored value.
    return v.secret ? v.value === undefined : old.value === v.value;
  });
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const siteResource: ResourceDefinition<SiteSpec> = {
  kind: "Site",
  plural: "sites",
  singular: "site",
  shortNames: ["st"],
  categories: ["sitepod"],
  namespaced: true,
  description:
    "A PHP site (WordPress or your own code) of an account, with its domains, PHP settings and resources. The namespace is the account's short name.",
  specSchema: siteSpecSchema,
  statusSchema: siteStatusSchema,
  columns: siteColumns,
  fieldPath,
  lockTable: "Site",
  lockId: (record) => record.id,
  nameProblem: siteNameProblem,

  async list(actor, { accountId, after, limit }) {
    const rows = await siteRows(
      {
        AND: [
          { account: await reachableAccountWhere(actor) },
          accountId ? { accountId } : {},
          after
            ? {
                OR: [
                  { account: { slug: { gt: after.namespace } } },
                  { account: { slug: after.namespace }, name: { gt: after.name } },
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
    const [row] = await siteRows({
      accountId: account.id,
      name,
      account: await reachableAccountWhere(actor),
    });
    return row ? toRecord(row) : null;
  },

  async create(actor, account, name, spec) {
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    if (!spec.primaryDomain) {
      throw new AppError("INVALID_INPUT", "Required value", {
        domain: "Required value: a site needs its first domain",
      });
    }
    const { site, wordpressAdmin } = await createSite({
      actor,
      accountId: account.id,
      input: {
        name,
        domain: spec.primaryDomain,
        ...(spec.phpVersion ? { phpVersion: spec.phpVersion } : {}),
        ...(spec.app ? { app: spec.app } : {}),
        ...(spec.title ? { title: spec.title } : {}),
        ...(spec.resources?.storageGiB ? { storageGiB: spec.resources.storageGiB } : {}),
      },
    });
    const php = { ...site.settings.php, ...spec.php };
    const resources = { ...site.settings.resources, ...spec.resources };
    if (
      !sameJson(php, site.settings.php) ||
      !sameJson(resources, site.settings.resources) ||
      (spec.env?.length ?? 0) > 0
    ) {
      await updateSite({
        actor,
        siteId: site.id,
        input: {
          generation: site.generation,
          phpVersion: site.phpVersion,
          php,
          resources,
          env: spec.env ?? [],
        },
      });
    }
    if (spec.forceHttps) await setForceHttps({ actor, siteId: site.id, input: { forceHttps: true } });
    return { id: site.id, ...(wordpressAdmin ? { once: { wordpressAdmin: { ...wordpressAdmin } } } : {}) };
  },

  async update(actor, current, spec) {
    const have = current.spec as {
      app: string;
      title: string;
      phpVersion: string;
      primaryDomain: string | null;
      php: Record<string, unknown>;
      resources: Record<string, unknown>;
      forceHttps: boolean;
    };
    if (spec.app !== undefined && spec.app !== have.app) throw immutable("app");
    if (spec.title !== undefined && spec.title !== "" && spec.title !== have.title) throw immutable("title");

    const phpVersion = spec.phpVersion ?? have.phpVersion;
    const php = { ...have.php, ...spec.php };
    const resources = { ...have.resources, ...spec.resources };
    const generation = current.generation ?? 1;
    if (
      phpVersion !== have.phpVersion ||
      !sameJson(php, have.php) ||
      !sameJson(resources, have.resources) ||
      !sameEnv(current.spec.env, spec.env)
    ) {
      await updateSite({
        actor,
        siteId: current.id,
        input: {
          generation,
          phpVersion,
          php,
          resources,
          ...(spec.env === undefined ? {} : { env: spec.env }),
        },
      });
    }
    if (spec.forceHttps !== undefined && spec.forceHttps !== have.forceHttps) {
      await setForceHttps({ actor, siteId: current.id, input: { forceHttps: spec.forceHttps } });
    }
    if (spec.primaryDomain !== undefined && spec.primaryDomain !== have.primaryDomain) {
      const domain = await prisma.domain.findFirst({
        where: { siteId: current.id, hostname: spec.primaryDomain },
        select: { id: true },
      });
      if (!domain) {
        throw new AppError("INVALID_INPUT", "not a domain of this site", {
          domain: `Not found: "${spec.primaryDomain}" is not one of the site's domains; add it as a Domain first`,
        });
      }
      await updateDomain({ actor, siteId: current.id, domainId: domain.id, input: { isPrimary: true } });
    }
  },

  async remove(actor, current) {
    await deleteSite({ actor, siteId: current.id });
    return { gone: false };
  },

  watchTargets(row) {
    return row.kind === "Site" ? { ids: [row.objectId], groups: [] } : { ids: [], groups: [] };
  },
  async loadByIds(ids) {
    return (await siteRows({ id: { in: [...ids] } })).map(toRecord);
  },
  async loadGroups() {
    return [];
  },
  async loadAll(afterId, limit) {
    const rows = await prisma.site.findMany({
      where: afterId ? { id: { gt: afterId } } : {},
      include: siteViewInclude,
      orderBy: { id: "asc" },
      take: limit,
    });
    return rows.map(toRecord);
  },
};
