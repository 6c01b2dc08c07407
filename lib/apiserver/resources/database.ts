/**
 * Database and DatabaseUser: an account's databases and database users on a database server,
 * named by their full name on the server (`<account prefix><name>`, e.g. acme_shop). Written
 * through createDatabase / createDatabaseUser and deleteDatabase / deleteDatabaseUser. A new
 * user's generated password is in the response to its creation only (status.password).
 *
 * Two servers may each hold a database of the same name for one account (made in the panel); the
 * API shows the oldest under that name. Through the API a name is taken once per account.
 */
import { z } from "zod";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { createDatabase } from "@/lib/services/database/create-database";
import { createDatabaseUser } from "@/lib/services/database/create-database-user";
import {
  type DatabaseObjectState,
  databaseUserViewInclude,
  databaseViewInclude,
  toDatabaseUserView,
  toDatabaseView,
} from "@/lib/services/database/database-view";
import { deleteDatabase } from "@/lib/services/database/delete-database";
import { deleteDatabaseUser } from "@/lib/services/database/delete-database-user";
import { accountDatabasePrefix, DATABASE_ENGINES, IDENTIFIER_PATTERN } from "@/lib/validation/database";
import { conditionsStatusSchema } from "./common-schemas";
import { ageColumn, type Column, nameColumn, type ObjectRecord, type ResourceDefinition } from "./resource";

const serverSpecSchema = z.object({
  server: z
    .string({ error: "Name a database server." })
    .trim()
    .min(1, { error: "Name a database server." })
    .max(80)
    .optional()
    .meta({
      description:
        'The name of the database server (as the panel lists them, e.g. "MariaDB (local)"). Required; cannot change.',
    }),
});
export type DatabaseSpec = z.output<typeof serverSpecSchema>;

const statusSchema = (what: string) =>
  conditionsStatusSchema
    .extend({
      phase: z.enum(["PROVISIONING", "READY", "DEGRADED", "DELETING"]),
      message: z.string().nullable().meta({ description: "Why it is not READY." }),
      engine: z.enum(DATABASE_ENGINES),
      ...(what === "database"
        ? { sizeBytes: z.string().nullable().meta({ description: "Its size in bytes, as last measured." }) }
        : {
            password: z.string().optional().meta({
              description: "In the response to the creation only: the generated password. Never shown again.",
            }),
          }),
    })
    .meta({ description: `What Sitepod observed of the ${what}.` });

function nameProblem(name: string): string | null {
  if (name.length === 0 || name.length > 64 || !IDENTIFIER_PATTERN.test(name)) {
    return "use the full name on the server: lower-case letters, digits and underscores, starting with the account's prefix (e.g. acme_shop)";
  }
  return null;
}

interface Common {
  id: string;
  accountId: string;
  name: string;
  serverName: string;
  generation: number;
  observedGeneration: number;
  createdAt: Date;
  deletionRequestedAt: Date | null;
  account: { slug: string };
}

function toRecord(
  kind: "Database" | "DatabaseUser",
  row: Common,
  view: { state: DatabaseObjectState; statusMessage: string | null; conditions: unknown; engine: string },
  extra: Record<string, unknown>,
): ObjectRecord {
  return {
    id: row.id,
    accountId: row.accountId,
    namespace: row.account.slug,
    name: row.name,
    version: { kind, objectId: row.id },
    generation: row.generation,
    createdAt: row.createdAt,
    deletingSince: row.deletionRequestedAt,
    spec: { server: row.serverName },
    status: {
      phase: view.state,
      message: view.statusMessage,
      observedGeneration: row.observedGeneration,
      conditions: view.conditions,
      engine: view.engine,
      ...extra,
    },
    group: null,
  };
}

const databaseInclude = { ...databaseViewInclude, account: { select: { slug: true } } } as const;
const userInclude = { ...databaseUserViewInclude, account: { select: { slug: true } } } as const;

async function databaseRecords(
  where: Prisma.DatabaseWhereInput,
  take?: number,
  byId = false,
): Promise<ObjectRecord[]> {
  const rows = await prisma.database.findMany({
    where,
    include: databaseInclude,
    orderBy: byId ? { id: "asc" } : [{ account: { slug: "asc" } }, { name: "asc" }, { createdAt: "asc" }],
    ...(take === undefined ? {} : { take }),
  });
  return rows.map((row) => {
    const view = toDatabaseView(row);
    return toRecord("Database", { ...row, serverName: row.server.name }, view, { sizeBytes: view.sizeBytes });
  });
}

async function userRecords(
  where: Prisma.DatabaseUserWhereInput,
  take?: number,
  byId = false,
): Promise<ObjectRecord[]> {
  const rows = await prisma.databaseUser.findMany({
    where,
    include: userInclude,
    orderBy: byId ? { id: "asc" } : [{ account: { slug: "asc" } }, { name: "asc" }, { createdAt: "asc" }],
    ...(take === undefined ? {} : { take }),
  });
  return rows.map((row) =>
    toRecord("DatabaseUser", { ...row, serverName: row.server.name }, toDatabaseUserView(row), {}),
  );
}

async function serverIdByName(name: string | undefined): Promise<string> {
  if (!name)
    throw new AppError("INVALID_INPUT", "Required value", {
      serverId: "Required value: name the database server",
    });
  const server = await prisma.databaseServer.findUnique({ where: { name }, select: { id: true } });
  if (!server) {
    throw new AppError("INVALID_INPUT", "no such server", {
      serverId: `Not found: there is no database server named "${name}"`,
    });
  }
  return server.id;
}

function shortName(accountSlug: string, name: string): string {
  const prefix = accountDatabasePrefix(accountSlug);
  if (!name.startsWith(prefix) || name.length === prefix.length) {
    throw new AppError("INVALID_INPUT", "wrong prefix", {
      name: `Invalid value: "${name}": names in this account start with ${prefix} (e.g. ${prefix}shop)`,
    });
  }
  return name.slice(prefix.length);
}

function keyset(after: { namespace: string; name: string } | null) {
  return after
    ? {
        OR: [
          { account: { slug: { gt: after.namespace } } },
          { account: { slug: after.namespace }, name: { gt: after.name } },
        ],
      }
    : {};
}

/** Of several objects with one name (on different servers), the oldest, as `find` does. */
function firstOfEachName(records: ObjectRecord[]): ObjectRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const key = `${r.namespace}/${r.name}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const FIELDS: Record<string, string> = {
  name: "metadata.name",
  serverId: "spec.server",
  confirm: "metadata.name",
};

function columns(extra: Column[]): Column[] {
  return [
    nameColumn(),
    {
      name: "Server",
      type: "string",
      format: "",
      description: "The database server.",
      priority: 0,
      cell: (r) => r.spec.server ?? null,
    },
    {
      name: "Engine",
      type: "string",
      format: "",
      description: "MYSQL or POSTGRESQL.",
      priority: 0,
      cell: (r) => r.status.engine ?? null,
    },
    {
      name: "Phase",
      type: "string",
      format: "",
      description: "A summary of the conditions.",
      priority: 0,
      cell: (r) => r.status.phase ?? null,
    },
    ...extra,
    ageColumn(),
  ];
}

function immutableServer(current: ObjectRecord, spec: DatabaseSpec): void {
  if (spec.server !== undefined && spec.server !== current.spec.server) {
    throw new AppError("INVALID_INPUT", "field is immutable", { serverId: "field is immutable" });
  }
}

/** Reads rows of either kind: a `where` that both a database's and a user's queries take. */
type RecordReader = (
  where: Prisma.DatabaseWhereInput & Prisma.DatabaseUserWhereInput,
  take?: number,
  byId?: boolean,
) => Promise<ObjectRecord[]>;

/**
 * What databases and database users read alike: lists and lookups scoped to the accounts the caller
 * may reach, and the watch's loads of the kind's rows.
 */
function scopedReads(
  kind: "Database" | "DatabaseUser",
  records: RecordReader,
): Pick<
  ResourceDefinition<DatabaseSpec>,
  "list" | "find" | "watchTargets" | "loadByIds" | "loadGroups" | "loadAll"
> {
  return {
    async list(actor, { accountId, after, limit }) {
      const found = await records(
        {
          AND: [
            { account: await reachableAccountWhere(actor) },
            accountId ? { accountId } : {},
            keyset(after),
          ],
        },
        limit,
      );
      return firstOfEachName(found);
    },
    async find(actor, account, name) {
      if (!account) return null;
      const [record] = await records({
        accountId: account.id,
        name,
        account: await reachableAccountWhere(actor),
      });
      return record ?? null;
    },
    watchTargets: (row) =>
      row.kind === kind ? { ids: [row.objectId], groups: [] } : { ids: [], groups: [] },
    loadByIds: (ids) => records({ id: { in: [...ids] } }),
    loadGroups: async () => [],
    loadAll: (afterId, limit) => records(afterId ? { id: { gt: afterId } } : {}, limit, true),
  };
}

export const databaseResource: ResourceDefinition<DatabaseSpec> = {
  kind: "Database",
  plural: "databases",
  singular: "database",
  shortNames: ["sdb"],
  categories: ["sitepod"],
  namespaced: true,
  description:
    "A database of an account on a database server, named by its full name on the server. The namespace is the account's short name.",
  specSchema: serverSpecSchema.meta({ description: "Where the database lives." }),
  statusSchema: statusSchema("database"),
  columns: columns([
    {
      name: "Size",
      type: "string",
      format: "",
      description: "Bytes, as last measured.",
      priority: 1,
      cell: (r) => r.status.sizeBytes ?? null,
    },
  ]),
  fieldPath: (field) => FIELDS[field] ?? `spec.${field}`,
  lockTable: "Database",
  lockId: (record) => record.id,
  nameProblem,

  ...scopedReads("Database", databaseRecords),
  async create(actor, account, name, spec) {
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    const view = await createDatabase({
      actor,
      accountId: account.id,
      input: { serverId: await serverIdByName(spec.server), name: shortName(account.slug, name) },
    });
    return { id: view.id };
  },
  async update(_actor, current, spec) {
    immutableServer(current, spec);
  },
  async remove(actor, current) {
    await deleteDatabase({ actor, databaseId: current.id, input: { confirm: current.name } });
    return { gone: false };
  },
};

export const databaseUserResource: ResourceDefinition<DatabaseSpec> = {
  kind: "DatabaseUser",
  plural: "databaseusers",
  singular: "databaseuser",
  shortNames: ["sdbu"],
  categories: ["sitepod"],
  namespaced: true,
  description:
    "A database user (login) of an account on a database server, named by its full name on the server. The namespace is the account's short name.",
  specSchema: serverSpecSchema.meta({ description: "Where the user lives." }),
  statusSchema: statusSchema("database user"),
  columns: columns([]),
  fieldPath: (field) => FIELDS[field] ?? `spec.${field}`,
  lockTable: "DatabaseUser",
  lockId: (record) => record.id,
  nameProblem,

  ...scopedReads("DatabaseUser", userRecords),
  async create(actor, account, name, spec) {
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    const { user, password } = await createDatabaseUser({
      actor,
      accountId: account.id,
      input: { serverId: await serverIdByName(spec.server), name: shortName(account.slug, name) },
    });
    return {
      id: user.id,
      once: { password },
      warnings: [
        "the user's generated password is in status.password of this response only: it is never shown again",
      ],
    };
  },
  async update(_actor, current, spec) {
    immutableServer(current, spec);
  },
  async remove(actor, current) {
    await deleteDatabaseUser({ actor, databaseUserId: current.id });
    return { gone: false };
  },
};
