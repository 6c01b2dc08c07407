/**
 * Databases, database users and database servers: the schemas shared by the Databases page, its
 * server actions, the REST routes, the services and the reconciler (which re-checks every name
 * before it reaches SQL). Messages are shown to users as they are.
 *
 * Names on a server are `<account prefix><name the owner chose>`, as cPanel's `<account>_<name>`:
 * two accounts never ask for the same name on one server, and the unique index (serverId, name)
 * refuses the rare prefix collision (slug "a-b" + "c" vs slug "a" + "b_c").
 */
import { createHash } from "node:crypto";
import { z } from "zod";

export const DATABASE_ENGINES = ["MYSQL", "POSTGRESQL"] as const;
export type DatabaseEngineName = (typeof DATABASE_ENGINES)[number];

export const ENGINE_LABELS: Record<DatabaseEngineName, string> = {
  MYSQL: "MySQL / MariaDB",
  POSTGRESQL: "PostgreSQL",
};

/**
 * The identifier limits of each engine: MySQL and MariaDB take 64 characters for a database name
 * and 32 for a user name (MariaDB allows more; the lower limit holds on both); PostgreSQL truncates
 * identifiers beyond 63 bytes (NAMEDATALEN - 1), which would silently merge two names.
 */
export const IDENTIFIER_LIMITS: Record<DatabaseEngineName, { database: number; user: number }> = {
  MYSQL: { database: 64, user: 32 },
  POSTGRESQL: { database: 63, user: 63 },
};

export type IdentifierKind = "database" | "user";

/** What a full name on a server may contain: the only characters that ever reach SQL unescaped-looking. */
export const IDENTIFIER_PATTERN = /^[a-z0-9_]+$/;

/** Characters that would end a quoted identifier or a statement, or act as wildcards in GRANT. */
const SQL_METACHARACTERS = /['"`;\\%*\s-]|--|\/\*/;

/** The longest prefix: leaves room for a useful name even under MySQL's 32-character user names. */
export const ACCOUNT_PREFIX_MAX_LENGTH = 12;

/**
 * The account's prefix, ending in "_": its slug with hyphens as underscores, or for a long slug its
 * first characters and a short hash of the whole slug (so that two long slugs sharing a start differ).
 */
export function accountDatabasePrefix(accountSlug: string): string {
  const base = accountSlug.toLowerCase().replace(/[^a-z0-9]/g, "_");
  if (base.length + 1 <= ACCOUNT_PREFIX_MAX_LENGTH) return `${base}_`;
  const hash = createHash("sha256").update(accountSlug).digest("hex").slice(0, 4);
  return `${base.slice(0, ACCOUNT_PREFIX_MAX_LENGTH - 6)}_${hash}_`;
}

const NOUN: Record<IdentifierKind, string> = { database: "database name", user: "user name" };

/** Why `name` (the part the owner types, before the prefix) cannot be used, or null. */
export function nameInputProblem(name: string, kind: IdentifierKind): string | null {
  if (name.length === 0) return `Enter a ${NOUN[kind]}.`;
  if (SQL_METACHARACTERS.test(name)) {
    return `A ${NOUN[kind]} cannot contain quotes, backticks, semicolons, backslashes, %, *, hyphens or spaces: use letters, digits and underscores (e.g. shop_2).`;
  }
  if (!IDENTIFIER_PATTERN.test(name)) {
    return `Use only letters, digits and underscores in a ${NOUN[kind]} (e.g. shop_2).`;
  }
  return null;
}

/**
 * Why `fullName` (prefix included) cannot name a `kind` on a server of `engine`, or null. The
 * services check it with the account's prefix before writing; the reconciler again before any
 * statement, so a row that predates a rule never reaches SQL.
 */
export function identifierProblem(
  engine: DatabaseEngineName,
  kind: IdentifierKind,
  fullName: string,
): string | null {
  if (fullName.length === 0 || !IDENTIFIER_PATTERN.test(fullName)) {
    return `"${fullName}" is not a valid ${NOUN[kind]}: use lower-case letters, digits and underscores.`;
  }
  const limit = IDENTIFIER_LIMITS[engine][kind];
  if (fullName.length > limit) {
    return `${ENGINE_LABELS[engine]} allows at most ${limit} characters in a ${NOUN[kind]}; "${fullName}" has ${fullName.length}.`;
  }
  if (engine === "POSTGRESQL" && fullName.startsWith("pg_")) {
    return `PostgreSQL reserves names starting with pg_ for itself.`;
  }
  return null;
}

/** The field message for a name that fits the pattern but not the engine's limit once prefixed. */
export function prefixedNameProblem(
  engine: DatabaseEngineName,
  kind: IdentifierKind,
  prefix: string,
  name: string,
): string | null {
  const limit = IDENTIFIER_LIMITS[engine][kind];
  if (prefix.length + name.length > limit) {
    const room = Math.max(0, limit - prefix.length);
    return `With the prefix ${prefix}, a ${NOUN[kind]} can have at most ${room} characters on this server (${ENGINE_LABELS[engine]} allows ${limit} in all).`;
  }
  return identifierProblem(engine, kind, `${prefix}${name}`);
}

function nameSchema(kind: IdentifierKind) {
  return z
    .string({ error: `Enter a ${NOUN[kind]}.` })
    .trim()
    .toLowerCase()
    .superRefine((value, ctx) => {
      const problem =
        nameInputProblem(value, kind) ?? (value.length > 64 ? "Use at most 64 characters." : null);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

const idField = (what: string) =>
  z
    .string({ error: `Choose a ${what}.` })
    .min(1, { error: `Choose a ${what}.` })
    .max(32, { error: `Choose a ${what}.` })
    .regex(/^[a-z0-9]+$/i, { error: `Choose a ${what}.` });

export const createDatabaseSchema = z.object({
  serverId: idField("database server"),
  name: nameSchema("database"),
});

export const createDatabaseUserSchema = z.object({
  serverId: idField("database server"),
  name: nameSchema("user"),
});

/** The typed confirmation: the database's full name, exactly. */
export const confirmDeletionSchema = z.object({
  confirm: z.string({ error: "Type the name to confirm." }).trim(),
});

/** Grants ALL privileges on the database (named by the route or action) to one of the account's users. */
export const grantSchema = z.object({
  userId: idField("database user"),
});

/** "" or upper-case letters, digits and underscores ending in "_" (e.g. ANALYTICS_). */
export const ENV_PREFIX_PATTERN = /^([A-Z][A-Z0-9_]{0,30}_)?$/;

export const attachDatabaseSchema = z.object({
  databaseId: idField("database"),
  userId: idField("database user"),
  envPrefix: z
    .string()
    .trim()
    .toUpperCase()
    .default("")
    .refine((value) => ENV_PREFIX_PATTERN.test(value), {
      error:
        "Use upper-case letters, digits and underscores, starting with a letter and ending with _ (e.g. ANALYTICS_), or leave it empty.",
    }),
});

// --- Database servers (the platform operator's) ---------------------------------------------------

const HOST =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function hostProblem(host: string): string | null {
  if (host.length === 0) return "Enter the server's host name or IP address.";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host) || host.includes("/")) {
    return "Enter just the host (e.g. db.internal or 10.0.0.5), without a scheme or path.";
  }
  if (host.includes(":")) return "Enter the port in its own field.";
  if (!HOST.test(host) && !IPV4.test(host)) return "Enter a host name or an IPv4 address (e.g. db.internal).";
  return null;
}

const hostSchema = z
  .string({ error: "Enter the server's host name or IP address." })
  .trim()
  .superRefine((value, ctx) => {
    const problem = hostProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

const portSchema = z.coerce
  .number({ error: "Enter a port number." })
  .int({ error: "Enter a port number between 1 and 65535." })
  .min(1, { error: "Enter a port number between 1 and 65535." })
  .max(65535, { error: "Enter a port number between 1 and 65535." });

/** Optional host/port: empty means "the same as the admin address". */
const optionalHostSchema = z
  .string()
  .trim()
  .nullish()
  .transform((value) => (value ? value : null))
  .superRefine((value, ctx) => {
    const problem = value === null ? null : hostProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const optionalPortSchema = z.preprocess(
  (value) => (value === "" || value === undefined ? null : value),
  portSchema.nullable(),
);

const enabledSchema = z.preprocess(
  (value) => (value === "true" ? true : value === "false" ? false : value),
  z.boolean({ error: "Say whether new databases may be created on the server." }),
);

const serverNameSchema = z
  .string({ error: "Enter a name for the server." })
  .trim()
  .min(1, { error: "Enter a name for the server." })
  .max(80, { error: "Use at most 80 characters." });

const adminUserSchema = z
  .string({ error: "Enter the admin user." })
  .trim()
  .min(1, { error: "Enter the admin user." })
  .max(80, { error: "Use at most 80 characters." })
  .regex(/^[A-Za-z0-9_.@-]+$/, { error: "Use letters, digits and _ . @ - in the admin user." });

/** Empty: the server asks the admin for no password (local trust authentication). */
const adminPasswordSchema = z
  .string()
  .max(200, { error: "Use at most 200 characters." })
  .nullish()
  .transform((value) => (value ? value : null));

export const createDatabaseServerSchema = z.object({
  name: serverNameSchema,
  engine: z.enum(DATABASE_ENGINES, { error: "Choose MySQL / MariaDB or PostgreSQL." }),
  host: hostSchema,
  port: portSchema,
  adminUser: adminUserSchema,
  adminPassword: adminPasswordSchema,
  podHost: optionalHostSchema,
  podPort: optionalPortSchema.default(null),
  enabled: enabledSchema.default(true),
});

/** The engine is fixed once registered. A missing adminPassword keeps the stored one. */
export const updateDatabaseServerSchema = z.object({
  name: serverNameSchema.optional(),
  host: hostSchema.optional(),
  port: portSchema.optional(),
  adminUser: adminUserSchema.optional(),
  adminPassword: adminPasswordSchema.optional(),
  podHost: optionalHostSchema.optional(),
  podPort: optionalPortSchema.optional(),
  enabled: enabledSchema.optional(),
});

export type CreateDatabaseInput = z.output<typeof createDatabaseSchema>;
export type CreateDatabaseUserInput = z.output<typeof createDatabaseUserSchema>;
export type CreateDatabaseServerInput = z.output<typeof createDatabaseServerSchema>;
export type UpdateDatabaseServerInput = z.output<typeof updateDatabaseServerSchema>;
export type AttachDatabaseInput = z.output<typeof attachDatabaseSchema>;
