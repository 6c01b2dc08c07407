/**
 * What the Databases page, the server actions and the REST API see of databases, database users
 * and database servers: plain objects, never a password or an admin credential.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { DatabaseEngine } from "@/lib/generated/prisma/enums";
import { type Condition, parseConditions } from "@/lib/views";

/** A summary of the conditions, for lists and badges. */
export type DatabaseObjectState = "PROVISIONING" | "READY" | "DEGRADED" | "DELETING";

export function stateOf(
  row: { deletionRequestedAt: Date | null },
  conditions: readonly Condition[],
): DatabaseObjectState {
  if (row.deletionRequestedAt) return "DELETING";
  if (conditions.some((c) => c.type === "Degraded" && c.status === "True")) return "DEGRADED";
  if (conditions.some((c) => c.type === "Ready" && c.status === "True")) return "READY";
  return "PROVISIONING";
}

/** The one-line reason shown next to a state that is not READY. */
function statusMessage(conditions: readonly Condition[]): string | null {
  const degraded = conditions.find((c) => c.type === "Degraded" && c.status === "True");
  if (degraded) return degraded.message;
  const ready = conditions.find((c) => c.type === "Ready");
  return ready && ready.status !== "True" ? ready.message : null;
}

export const databaseViewInclude = {
  server: { select: { id: true, name: true, engine: true } },
  grants: {
    select: { revokeRequestedAt: true, appliedAt: true, user: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  },
  attachments: {
    select: { id: true, siteId: true, envPrefix: true, userId: true, site: { select: { name: true } } },
  },
} satisfies Prisma.DatabaseInclude;

export type DatabaseForView = Prisma.DatabaseGetPayload<{ include: typeof databaseViewInclude }>;

export interface DatabaseGrantView {
  userId: string;
  userName: string;
  /** Granted in the panel, not yet applied on the server. */
  pending: boolean;
  /** Revoked in the panel, not yet revoked on the server. */
  revoking: boolean;
}

export interface DatabaseView {
  id: string;
  accountId: string;
  /** The full name on the server, prefix included: what the owner types to delete it. */
  name: string;
  serverId: string;
  serverName: string;
  engine: DatabaseEngine;
  state: DatabaseObjectState;
  statusMessage: string | null;
  conditions: Condition[];
  /** Bytes as a decimal string (it may exceed 2^53), or null until first observed. */
  sizeBytes: string | null;
  sizeObservedAt: string | null;
  grants: DatabaseGrantView[];
  /** Sites given this database's credentials. */
  sites: Array<{ attachmentId: string; siteId: string; siteName: string; envPrefix: string; userId: string }>;
  createdAt: string;
}

export function toDatabaseView(row: DatabaseForView): DatabaseView {
  const conditions = parseConditions(row.conditions);
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    serverId: row.server.id,
    serverName: row.server.name,
    engine: row.server.engine,
    state: stateOf(row, conditions),
    statusMessage: statusMessage(conditions),
    conditions,
    sizeBytes: row.sizeBytes === null ? null : row.sizeBytes.toString(),
    sizeObservedAt: row.sizeObservedAt?.toISOString() ?? null,
    grants: row.grants.map((g) => ({
      userId: g.user.id,
      userName: g.user.name,
      pending: g.appliedAt === null && g.revokeRequestedAt === null,
      revoking: g.revokeRequestedAt !== null,
    })),
    sites: row.attachments.map((a) => ({
      attachmentId: a.id,
      siteId: a.siteId,
      siteName: a.site.name,
      envPrefix: a.envPrefix,
      userId: a.userId,
    })),
    createdAt: row.createdAt.toISOString(),
  };
}

export const databaseUserViewInclude = {
  server: { select: { id: true, name: true, engine: true } },
  grants: {
    where: { revokeRequestedAt: null },
    select: { database: { select: { id: true, name: true } } },
    orderBy: { createdAt: "asc" },
  },
} satisfies Prisma.DatabaseUserInclude;

export type DatabaseUserForView = Prisma.DatabaseUserGetPayload<{ include: typeof databaseUserViewInclude }>;

export interface DatabaseUserView {
  id: string;
  accountId: string;
  name: string;
  serverId: string;
  serverName: string;
  engine: DatabaseEngine;
  state: DatabaseObjectState;
  statusMessage: string | null;
  conditions: Condition[];
  databases: Array<{ id: string; name: string }>;
  createdAt: string;
}

export function toDatabaseUserView(row: DatabaseUserForView): DatabaseUserView {
  const conditions = parseConditions(row.conditions);
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    serverId: row.server.id,
    serverName: row.server.name,
    engine: row.server.engine,
    state: stateOf(row, conditions),
    statusMessage: statusMessage(conditions),
    conditions,
    databases: row.grants.map((g) => ({ id: g.database.id, name: g.database.name })),
    createdAt: row.createdAt.toISOString(),
  };
}

/** A user with its password, returned once by creation and password reset. */
export interface DatabaseUserWithPassword {
  user: DatabaseUserView;
  /** Shown once; Sitepod keeps it only sealed, for the server and the sites given it. */
  password: string;
}

/** What an account's members see of a server: where a database can be put, nothing of its admin. */
export interface DatabaseServerOption {
  id: string;
  name: string;
  engine: DatabaseEngine;
  /** New databases and users may be created on it. */
  enabled: boolean;
}

/** What the platform operator sees of a registered server: everything but the admin password. */
export interface DatabaseServerView {
  id: string;
  name: string;
  engine: DatabaseEngine;
  host: string;
  port: number;
  adminUser: string;
  /** Whether an admin password is stored; the password itself is never sent back. */
  hasAdminPassword: boolean;
  podHost: string | null;
  podPort: number | null;
  enabled: boolean;
  /** null until the reconciler first checked it. */
  reachable: boolean | null;
  statusMessage: string | null;
  lastCheckedAt: string | null;
  databaseCount: number;
  userCount: number;
  createdAt: string;
  updatedAt: string;
}

export const databaseServerViewInclude = {
  _count: { select: { databases: true, users: true } },
} satisfies Prisma.DatabaseServerInclude;

export type DatabaseServerForView = Prisma.DatabaseServerGetPayload<{
  include: typeof databaseServerViewInclude;
}>;

export function toDatabaseServerView(row: DatabaseServerForView): DatabaseServerView {
  const ready = parseConditions(row.conditions).find((c) => c.type === "Ready");
  return {
    id: row.id,
    name: row.name,
    engine: row.engine,
    host: row.host,
    port: row.port,
    adminUser: row.adminUser,
    hasAdminPassword: row.adminPasswordCiphertext !== null,
    podHost: row.podHost,
    podPort: row.podPort,
    enabled: row.enabled,
    reachable: ready ? ready.status === "True" : null,
    statusMessage: ready && ready.status !== "True" ? ready.message : null,
    lastCheckedAt: row.lastCheckedAt?.toISOString() ?? null,
    databaseCount: row._count.databases,
    userCount: row._count.users,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit log keeps of a server: no credential. */
export function databaseServerSummaryData(row: {
  name: string;
  engine: DatabaseEngine;
  host: string;
  port: number;
  adminUser: string;
  podHost: string | null;
  podPort: number | null;
  enabled: boolean;
}) {
  return {
    name: row.name,
    engine: row.engine,
    host: row.host,
    port: row.port,
    adminUser: row.adminUser,
    podHost: row.podHost,
    podPort: row.podPort,
    enabled: row.enabled,
  };
}

/** Conditions a new database or user starts with, until the reconciler's first pass. */
export function provisioningConditions(what: string): Condition[] {
  return [
    {
      type: "Ready",
      status: "False",
      reason: "Provisioning",
      message: `Waiting for the ${what} to be created on its server.`,
      lastTransitionTime: new Date().toISOString(),
      observedGeneration: 1,
    },
  ];
}
