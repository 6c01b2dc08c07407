/**
 * The reconciler of the accounts' databases, database users and the servers they live on. Level
 * based like the site's: each pass re-reads the row and the server, applies what is missing with
 * idempotent statements, and writes conditions (Ready, Degraded with a reason). A server that is
 * down leaves its objects Degraded and the pass fails, so the work queue retries it with backoff;
 * nothing is ever dropped that its owner did not delete, and a name that existed on the server
 * before Sitepod created it is left alone (NameTaken).
 */

import {
  type DatabaseServerAdmin,
  DatabaseServerUnreachableError,
  DatabaseStatementError,
  errorMessage,
} from "@/lib/db-servers/server-admin";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import type { Logger } from "@/lib/log";
import { appendChange } from "@/lib/services/change-log/append-change";
import { openDatabasePassword } from "@/lib/services/database/database-secrets";
import { identifierProblem } from "@/lib/validation/database";
import type { Condition } from "@/lib/views";
import { type ConditionInput, conditionsChanged, mergeConditions, parseConditions } from "./conditions";

export interface DatabaseReconcileContext {
  prisma: PrismaClient;
  /** The admin connection of a server (ServerAdminCache in the reconciler; a stub in tests). */
  admins: {
    get(server: {
      id: string;
      engine: "MYSQL" | "POSTGRESQL";
      host: string;
      port: number;
      adminUser: string;
      adminPasswordCiphertext: string | null;
    }): DatabaseServerAdmin;
  };
  log: Logger;
  now: () => Date;
}

export interface DatabaseReconcileResult {
  outcome: "ready" | "waiting" | "degraded" | "deleted" | "gone";
  accountId?: string;
  requeueAfterMs?: number;
  /** Objects whose pass this one unblocks (a user now exists: its grants can be applied). */
  wakeDatabases?: string[];
  wakeSites?: string[];
}

/** How often a database's size is observed (and a dropped-by-hand database re-created). */
export const DATABASE_RESYNC_MS = 5 * 60_000;
/** How often a registered server is checked. */
export const SERVER_CHECK_MS = 60_000;
/** A grant waits for its user to exist on the server. */
const WAIT_FOR_USER_MS = 3_000;

const STATUS_ACTOR = { actorUserId: null, actorIp: null };

function isUnreachable(err: unknown): err is DatabaseServerUnreachableError {
  return err instanceof DatabaseServerUnreachableError;
}

/**
 * A stored name no server would take: terminal, since the same row cannot succeed, and nothing
 * reaches SQL. A deletion still removes the row.
 */
async function refuseInvalidName(
  ctx: DatabaseReconcileContext,
  target: { kind: "Database" | "DatabaseUser"; id: string; accountId: string },
  row: {
    conditions: unknown;
    observedGeneration: number;
    generation: number;
    deletionRequestedAt: Date | null;
  },
  problem: string,
  deleteRow: () => Promise<DatabaseReconcileResult>,
): Promise<DatabaseReconcileResult> {
  await writeStatus(ctx, target, row, {
    conditions: degraded("InvalidName", problem),
    observedGeneration: row.generation,
  });
  if (row.deletionRequestedAt) return deleteRow();
  return { outcome: "degraded", accountId: target.accountId };
}

async function writeStatus(
  ctx: DatabaseReconcileContext,
  target: { kind: "Database" | "DatabaseUser"; id: string; accountId: string },
  current: { conditions: unknown; observedGeneration: number },
  next: { conditions: ConditionInput[]; observedGeneration: number; extra?: Record<string, unknown> },
): Promise<Condition[]> {
  const existing = parseConditions(current.conditions);
  const conditions = mergeConditions(existing, next.conditions, next.observedGeneration, ctx.now());
  const extra = next.extra ?? {};
  if (
    !conditionsChanged(existing, conditions) &&
    current.observedGeneration === next.observedGeneration &&
    Object.keys(extra).length === 0
  ) {
    return existing;
  }
  const data = { conditions, observedGeneration: next.observedGeneration, ...extra };
  await ctx.prisma.$transaction(async (tx) => {
    const updated =
      target.kind === "Database"
        ? await tx.database.updateMany({
            where: { id: target.id },
            data: data as Prisma.DatabaseUpdateManyMutationInput,
          })
        : await tx.databaseUser.updateMany({
            where: { id: target.id },
            data: data as Prisma.DatabaseUserUpdateManyMutationInput,
          });
    if (updated.count === 0) return;
    await appendChange(tx, {
      kind: target.kind,
      objectId: target.id,
      accountId: target.accountId,
      action: "STATUS",
      ...STATUS_ACTOR,
      data: { conditions: conditions.map((c) => ({ type: c.type, status: c.status, reason: c.reason })) },
    });
  });
  return conditions;
}

const unreachableConditions = (server: string, err: unknown): ConditionInput[] => [
  {
    type: "Ready",
    status: "False",
    reason: "ServerUnreachable",
    message: `The database server ${server} cannot be reached; retrying. ${errorMessage(err)}`,
  },
  {
    type: "Degraded",
    status: "True",
    reason: "ServerUnreachable",
    message: `The database server ${server} cannot be reached: ${errorMessage(err)}`,
  },
];

const degraded = (reason: string, message: string): ConditionInput[] => [
  { type: "Ready", status: "False", reason, message },
  { type: "Degraded", status: "True", reason, message },
];

const databaseInclude = {
  server: true,
  grants: {
    include: { user: { select: { id: true, name: true, provisionedAt: true, deletionRequestedAt: true } } },
  },
  attachments: { select: { siteId: true } },
} satisfies Prisma.DatabaseInclude;

/** One pass over one database: create or drop it on its server, apply its grants, observe its size. */
export async function reconcileDatabase(
  ctx: DatabaseReconcileContext,
  databaseId: string,
): Promise<DatabaseReconcileResult> {
  const row = await ctx.prisma.database.findUnique({ where: { id: databaseId }, include: databaseInclude });
  if (!row) return { outcome: "gone" };
  const { server } = row;
  const target = { kind: "Database" as const, id: row.id, accountId: row.accountId };
  const problem = identifierProblem(server.engine, "database", row.name);
  if (problem) return refuseInvalidName(ctx, target, row, problem, () => deleteDatabaseRow(ctx, row));
  const admin = ctx.admins.get(server);

  if (row.deletionRequestedAt) {
    if (row.provisionedAt) {
      try {
        // MySQL keeps privileges on a dropped database's name: a database of that name made later
        // (another account's, after a prefix collision) would be open to these users. Revoke first.
        for (const grant of row.grants) {
          if (grant.user.provisionedAt) await admin.revokeAll(row.name, grant.user.name);
        }
        await admin.dropDatabase(row.name);
      } catch (err) {
        if (isUnreachable(err)) {
          await writeStatus(ctx, target, row, {
            conditions: unreachableConditions(server.name, err),
            observedGeneration: row.generation,
          });
        }
        throw err;
      }
      ctx.log.info("database dropped", { event: "database.dropped", databaseId: row.id, database: row.name });
    }
    return deleteDatabaseRow(ctx, row);
  }

  let sizeBytes: bigint | null = null;
  const grantFailures: string[] = [];
  const waitingFor: string[] = [];
  let provisionedNow = false;
  try {
    if (!row.provisionedAt) {
      if (await admin.databaseExists(row.name)) {
        const message = `A database named ${row.name} already exists on ${server.name} and Sitepod did not create it: it is left alone. Delete this database and choose another name.`;
        await writeStatus(ctx, target, row, {
          conditions: degraded("NameTaken", message),
          observedGeneration: row.generation,
        });
        ctx.log.warn("database name taken on the server", { databaseId: row.id, database: row.name });
        return { outcome: "degraded", accountId: row.accountId, requeueAfterMs: DATABASE_RESYNC_MS };
      }
      await admin.createDatabase(row.name);
      provisionedNow = true;
      await ctx.prisma.database.updateMany({ where: { id: row.id }, data: { provisionedAt: ctx.now() } });
      ctx.log.info("database created", { event: "database.created", databaseId: row.id, database: row.name });
    } else {
      // Ours: a database dropped by hand comes back (empty), as any derived object would.
      await admin.createDatabase(row.name);
    }
    for (const grant of row.grants) {
      const user = grant.user;
      if (grant.revokeRequestedAt) {
        if (user.provisionedAt) await admin.revokeAll(row.name, user.name);
        await ctx.prisma.$transaction(async (tx) => {
          const removed = await tx.databaseGrant.deleteMany({ where: { id: grant.id } });
          if (removed.count === 0) return;
          await appendChange(tx, {
            kind: "DatabaseGrant",
            objectId: grant.id,
            accountId: row.accountId,
            action: "DELETED",
            ...STATUS_ACTOR,
            data: { databaseId: row.id, userId: user.id },
            summary: `Revoked the access of database user ${user.name} to ${row.name} on ${server.name}`,
          });
        });
        continue;
      }
      // A user being deleted loses its grants with it (its own pass drops it).
      if (user.deletionRequestedAt) continue;
      if (!user.provisionedAt) {
        waitingFor.push(user.name);
        continue;
      }
      try {
        await admin.grantAll(row.name, user.name);
      } catch (err) {
        if (!(err instanceof DatabaseStatementError)) throw err;
        grantFailures.push(`${user.name}: ${errorMessage(err)}`);
        continue;
      }
      if (!grant.appliedAt) {
        await ctx.prisma.databaseGrant.updateMany({
          where: { id: grant.id },
          data: { appliedAt: ctx.now() },
        });
      }
    }
    sizeBytes = await admin.databaseSize(row.name);
  } catch (err) {
    if (isUnreachable(err)) {
      await writeStatus(ctx, target, row, {
        conditions: unreachableConditions(server.name, err),
        observedGeneration: row.generation,
      });
    } else if (err instanceof DatabaseStatementError) {
      await writeStatus(ctx, target, row, {
        conditions: degraded(
          "CreateFailed",
          `${server.name} refused to create ${row.name}: ${errorMessage(err)}`,
        ),
        observedGeneration: row.generation,
      });
    }
    throw err;
  }

  let conditions: ConditionInput[];
  let outcome: DatabaseReconcileResult["outcome"] = "ready";
  let requeueAfterMs = DATABASE_RESYNC_MS;
  if (grantFailures.length > 0) {
    conditions = degraded("GrantFailed", `Granting access failed for ${grantFailures.join("; ")}`);
    outcome = "degraded";
  } else if (waitingFor.length > 0) {
    conditions = [
      {
        type: "Ready",
        status: "False",
        reason: "WaitingForUser",
        message: `Waiting for ${waitingFor.join(", ")} to be created on ${server.name} before granting access.`,
      },
    ];
    outcome = "waiting";
    requeueAfterMs = WAIT_FOR_USER_MS;
  } else {
    conditions = [
      {
        type: "Ready",
        status: "True",
        reason: "Ready",
        message: `The database exists on ${server.name} and its grants are applied.`,
      },
    ];
  }
  const extra: Record<string, unknown> = {};
  if (sizeBytes !== null && sizeBytes !== row.sizeBytes) {
    extra.sizeBytes = sizeBytes;
    extra.sizeObservedAt = ctx.now();
  }
  await writeStatus(ctx, target, row, { conditions, observedGeneration: row.generation, extra });
  return {
    outcome,
    accountId: row.accountId,
    requeueAfterMs,
    ...(provisionedNow ? { wakeSites: [...new Set(row.attachments.map((a) => a.siteId))] } : {}),
  };
}

async function deleteDatabaseRow(
  ctx: DatabaseReconcileContext,
  row: { id: string; accountId: string; name: string; attachments: { siteId: string }[] },
): Promise<DatabaseReconcileResult> {
  await ctx.prisma.$transaction(async (tx) => {
    const removed = await tx.database.deleteMany({
      where: { id: row.id, deletionRequestedAt: { not: null } },
    });
    if (removed.count === 0) return;
    await appendChange(tx, {
      kind: "Database",
      objectId: row.id,
      accountId: row.accountId,
      action: "DELETED",
      ...STATUS_ACTOR,
      data: { name: row.name },
      summary: `Database ${row.name} was dropped`,
    });
  });
  return {
    outcome: "deleted",
    accountId: row.accountId,
    wakeSites: [...new Set(row.attachments.map((a) => a.siteId))],
  };
}

/** One pass over one database user: create it (or set its password), or drop it. */
export async function reconcileDatabaseUser(
  ctx: DatabaseReconcileContext,
  userId: string,
): Promise<DatabaseReconcileResult> {
  const row = await ctx.prisma.databaseUser.findUnique({
    where: { id: userId },
    include: {
      server: true,
      grants: { select: { databaseId: true } },
      attachments: { select: { siteId: true } },
    },
  });
  if (!row) return { outcome: "gone" };
  const { server } = row;
  const target = { kind: "DatabaseUser" as const, id: row.id, accountId: row.accountId };
  const problem = identifierProblem(server.engine, "user", row.name);
  if (problem) return refuseInvalidName(ctx, target, row, problem, () => deleteUserRow(ctx, row));
  const admin = ctx.admins.get(server);

  if (row.deletionRequestedAt) {
    if (row.provisionedAt) {
      try {
        const ours = await ctx.prisma.database.findMany({
          where: { serverId: server.id, provisionedAt: { not: null } },
          select: { name: true },
        });
        await admin.dropUser(
          row.name,
          ours
            .map((d) => d.name)
            .filter((name) => identifierProblem(server.engine, "database", name) === null),
        );
      } catch (err) {
        if (isUnreachable(err)) {
          await writeStatus(ctx, target, row, {
            conditions: unreachableConditions(server.name, err),
            observedGeneration: row.generation,
          });
        }
        throw err;
      }
      ctx.log.info("database user dropped", {
        event: "database_user.dropped",
        userId: row.id,
        user: row.name,
      });
    }
    return deleteUserRow(ctx, row);
  }

  let password: string;
  try {
    password = openDatabasePassword(row.passwordCiphertext);
  } catch (err) {
    // A wrong key or tampered data: retrying the same row cannot succeed.
    await writeStatus(ctx, target, row, {
      conditions: degraded(
        "PasswordUnreadable",
        `The stored password cannot be read: ${errorMessage(err)}. Reset it.`,
      ),
      observedGeneration: row.generation,
    });
    return { outcome: "degraded", accountId: row.accountId };
  }
  let provisionedNow = false;
  try {
    if (!row.provisionedAt) {
      if (await admin.userExists(row.name)) {
        const message = `A user named ${row.name} already exists on ${server.name} and Sitepod did not create it: it is left alone. Delete this user and choose another name.`;
        await writeStatus(ctx, target, row, {
          conditions: degraded("NameTaken", message),
          observedGeneration: row.generation,
        });
        return { outcome: "degraded", accountId: row.accountId };
      }
      await admin.ensureUser(row.name, password);
      provisionedNow = true;
      await ctx.prisma.databaseUser.updateMany({ where: { id: row.id }, data: { provisionedAt: ctx.now() } });
      ctx.log.info("database user created", {
        event: "database_user.created",
        userId: row.id,
        user: row.name,
      });
    } else {
      // Every pass: a password changed by hand, or reset by the owner, converges to the stored one.
      await admin.ensureUser(row.name, password);
    }
  } catch (err) {
    if (isUnreachable(err)) {
      await writeStatus(ctx, target, row, {
        conditions: unreachableConditions(server.name, err),
        observedGeneration: row.generation,
      });
    } else if (err instanceof DatabaseStatementError) {
      await writeStatus(ctx, target, row, {
        conditions: degraded(
          "CreateFailed",
          `${server.name} refused to set up ${row.name}: ${errorMessage(err)}`,
        ),
        observedGeneration: row.generation,
      });
    }
    throw err;
  }
  const passwordChanged = row.observedGeneration !== row.generation;
  await writeStatus(ctx, target, row, {
    conditions: [
      { type: "Ready", status: "True", reason: "Ready", message: `The user exists on ${server.name}.` },
    ],
    observedGeneration: row.generation,
  });
  return {
    outcome: "ready",
    accountId: row.accountId,
    ...(provisionedNow ? { wakeDatabases: [...new Set(row.grants.map((g) => g.databaseId))] } : {}),
    // Sites given this user's credentials get the new password in their environment.
    ...(provisionedNow || passwordChanged
      ? { wakeSites: [...new Set(row.attachments.map((a) => a.siteId))] }
      : {}),
  };
}

async function deleteUserRow(
  ctx: DatabaseReconcileContext,
  row: {
    id: string;
    accountId: string;
    name: string;
    grants: { databaseId: string }[];
    attachments: { siteId: string }[];
  },
): Promise<DatabaseReconcileResult> {
  await ctx.prisma.$transaction(async (tx) => {
    const removed = await tx.databaseUser.deleteMany({
      where: { id: row.id, deletionRequestedAt: { not: null } },
    });
    if (removed.count === 0) return;
    await appendChange(tx, {
      kind: "DatabaseUser",
      objectId: row.id,
      accountId: row.accountId,
      action: "DELETED",
      ...STATUS_ACTOR,
      data: { name: row.name },
      summary: `Database user ${row.name} was dropped`,
    });
  });
  return {
    outcome: "deleted",
    accountId: row.accountId,
    wakeDatabases: [...new Set(row.grants.map((g) => g.databaseId))],
    wakeSites: [...new Set(row.attachments.map((a) => a.siteId))],
  };
}

export interface ServerCheckResult {
  reachable: boolean;
  /** The server just became reachable again: its databases and users should be retried now. */
  recovered: boolean;
  requeueAfterMs: number;
}

/** Connects to a registered server as its admin and records whether that works. */
export async function checkDatabaseServer(
  ctx: DatabaseReconcileContext,
  serverId: string,
): Promise<ServerCheckResult | null> {
  const server = await ctx.prisma.databaseServer.findUnique({ where: { id: serverId } });
  if (!server) return null;
  let next: ConditionInput;
  let reachable = true;
  try {
    await ctx.admins.get(server).ping();
    next = {
      type: "Ready",
      status: "True",
      reason: "Reachable",
      message: "Sitepod can connect as the admin.",
    };
  } catch (err) {
    reachable = false;
    next = {
      type: "Ready",
      status: "False",
      reason: "Unreachable",
      message: `Sitepod cannot connect as the admin: ${errorMessage(err)}`,
    };
  }
  const existing = parseConditions(server.conditions);
  const wasReachable = existing.find((c) => c.type === "Ready")?.status === "True";
  const conditions = mergeConditions(existing, [next], 0, ctx.now());
  const changed = conditionsChanged(existing, conditions);
  await ctx.prisma.$transaction(async (tx) => {
    await tx.databaseServer.updateMany({
      where: { id: server.id },
      data: { lastCheckedAt: ctx.now(), ...(changed ? { conditions } : {}) },
    });
    // Only a change of reachability is news; the timestamp alone is not.
    if (!changed) return;
    await appendChange(tx, {
      kind: "DatabaseServer",
      objectId: server.id,
      accountId: null,
      action: "STATUS",
      ...STATUS_ACTOR,
      data: { reachable },
    });
  });
  if (changed) ctx.log.info("database server checked", { serverId, reachable, message: next.message });
  return { reachable, recovered: reachable && !wasReachable, requeueAfterMs: SERVER_CHECK_MS };
}
