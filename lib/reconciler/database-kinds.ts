/**
 * Databases, database users and database servers as kinds of the reconciler
 * (lib/reconciler/kinds.ts): their passes talk to the registered servers
 * (lib/reconciler/reconcile-database.ts), not to Kubernetes.
 */
import type { ServerAdminCache } from "@/lib/db-servers/connect";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ChangeRow } from "./change-feed";
import type { ReconcileContext } from "./context";
import { databaseWorkOf } from "./database-work";
import type { KindReconciler, KindResult } from "./kinds";
import {
  checkDatabaseServer,
  type DatabaseReconcileContext,
  type DatabaseReconcileResult,
  reconcileDatabase,
  reconcileDatabaseUser,
} from "./reconcile-database";

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

/** Every database and user on the given servers, as work keys. */
async function serverObjectKeys(prisma: PrismaClient, serverIds: string[]): Promise<string[]> {
  const where = { serverId: { in: serverIds } };
  const [databases, users] = await Promise.all([
    prisma.database.findMany({ where, select: { id: true } }),
    prisma.databaseUser.findMany({ where, select: { id: true } }),
  ]);
  return [...databases.map((d) => `database/${d.id}`), ...users.map((u) => `dbuser/${u.id}`)];
}

function toKindResult(result: DatabaseReconcileResult): KindResult {
  return {
    outcome: result.outcome,
    ...(result.requeueAfterMs !== undefined ? { requeueAfterMs: result.requeueAfterMs } : {}),
    ...(result.wakeSites ? { wakeSites: result.wakeSites } : {}),
    wake: (result.wakeDatabases ?? []).map((id) => `database/${id}`),
  };
}

export function databaseKinds(admins: ServerAdminCache): KindReconciler[] {
  const dctx = (ctx: ReconcileContext): DatabaseReconcileContext => ({
    prisma: ctx.prisma,
    admins,
    log: ctx.log,
    now: ctx.now,
  });
  return [
    {
      key: "database",
      changeKinds: ["Database"],
      listIds: async (prisma) => ids(await prisma.database.findMany({ select: { id: true } })),
      // A grant's change is applied by its database's pass.
      workOfChanges: async (_prisma, rows: readonly ChangeRow[]) =>
        rows.flatMap((row) => {
          const work = row.kind === "DatabaseGrant" ? databaseWorkOf(row) : {};
          return work.databaseId ? [`database/${work.databaseId}`] : [];
        }),
      reconcile: async (ctx, id) => toKindResult(await reconcileDatabase(dctx(ctx), id)),
    },
    {
      key: "dbuser",
      changeKinds: ["DatabaseUser"],
      listIds: async (prisma) => ids(await prisma.databaseUser.findMany({ select: { id: true } })),
      reconcile: async (ctx, id) => toKindResult(await reconcileDatabaseUser(dctx(ctx), id)),
    },
    {
      key: "dbserver",
      changeKinds: ["DatabaseServer"],
      listIds: async (prisma) => ids(await prisma.databaseServer.findMany({ select: { id: true } })),
      // A server's address or password changed: retry everything on it, and every tenant's
      // NetworkPolicy (site pods may reach the registered servers) is rendered again.
      workOfChanges: async (prisma, rows) => {
        const changed = [...new Set(rows.filter((r) => r.kind === "DatabaseServer").map((r) => r.objectId))];
        if (changed.length === 0) return [];
        const accounts = await prisma.account.findMany({ select: { id: true } });
        return [...(await serverObjectKeys(prisma, changed)), ...accounts.map((a) => `account/${a.id}`)];
      },
      reconcile: async (ctx, id) => {
        const result = await checkDatabaseServer(dctx(ctx), id);
        if (!result) return { outcome: "gone" };
        return {
          outcome: result.reachable ? "reachable" : "unreachable",
          requeueAfterMs: result.requeueAfterMs,
          // Back from an outage (or a fixed address): retry its objects now, not at their backoff.
          ...(result.recovered ? { wake: await serverObjectKeys(ctx.prisma, [id]) } : {}),
        };
      },
    },
  ];
}
