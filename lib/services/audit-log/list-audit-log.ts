import { canViewAuditLog } from "@/lib/authz/permissions";
import { authorizeAccountAccess } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { type ChangeAction, Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { loadActorVisibility } from "@/lib/services/audit-log/actor-visibility";
import { describeChange } from "@/lib/services/audit-log/describe-change";
import {
  describeSupportChange,
  parseSupportChangeData,
} from "@/lib/services/audit-log/describe-support-change";
import { listAuditLogSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Below this share of all accounts, a subtree's history is read through its accounts (the
 * (accountId, id) index: as many rows as the subtree has); at or above it, by walking the change
 * log newest first until the page is full (as many rows as it takes to find `limit` of the
 * subtree's: few, when the subtree is a large part of the platform).
 */
export const AUDIT_LOG_WALK_SHARE = 0.02;

/**
 * The ids of one page of the audit log of the accounts whose path starts with `path`, newest
 * first: the subtree is a join on the path prefix inside the query, never a list of its ids.
 * MariaDB's own choice of join order is wrong one way or the other for some subtree sizes (seen:
 * 5 s for the platform's first page), so the order is chosen here from the subtree's share of the
 * accounts (two index-only counts) and fixed with STRAIGHT_JOIN.
 */
export async function auditLogPage(options: {
  path: string;
  before: bigint | null;
  limit: number;
  /** Tests: force one plan. */
  plan?: "walk" | "subtree";
}): Promise<bigint[]> {
  const prefix = `${options.path.replace(/[\\%_]/g, "\\$&")}%`;
  let plan = options.plan;
  if (!plan) {
    const [inSubtree, all] = await Promise.all([
      prisma.account.count({ where: { path: { startsWith: options.path } } }),
      prisma.account.count(),
    ]);
    plan = inSubtree >= all * AUDIT_LOG_WALK_SHARE ? "walk" : "subtree";
  }
  const before = options.before === null ? Prisma.empty : Prisma.sql`AND c.id < ${options.before}`;
  // Status reports of the reconciler are not somebody's action; they stay out of the audit log.
  const rows =
    plan === "walk"
      ? await prisma.$queryRaw<{ id: bigint }[]>`
          SELECT c.id FROM ChangeLog c STRAIGHT_JOIN Account a ON a.id = c.accountId
          WHERE a.path LIKE ${prefix} AND c.action <> 'STATUS' ${before}
          ORDER BY c.id DESC LIMIT ${options.limit}`
      : await prisma.$queryRaw<{ id: bigint }[]>`
          SELECT c.id FROM Account a STRAIGHT_JOIN ChangeLog c ON c.accountId = a.id
          WHERE a.path LIKE ${prefix} AND c.action <> 'STATUS' ${before}
          ORDER BY c.id DESC LIMIT ${options.limit}`;
  return rows.map((row) => BigInt(row.id));
}

export interface AuditLogEntryView {
  /** The change-log id as a decimal string; pass the last one shown as `before` for the next page. */
  resourceVersion: string;
  kind: string;
  objectId: string;
  accountId: string | null;
  accountSlug: string | null;
  action: ChangeAction;
  /** One human-readable line ("Suspended Acme: unpaid invoice", "Created site blog"). */
  summary: string;
  /**
   * Null for changes made by the system (the reconciler). Staff of a provider above the viewer
   * (a reseller's or the platform's users acting on a customer) show as "<Provider> staff", with
   * id and email null: a customer learns which provider acted, not who there. A Kubernetes user
   * who acted through the cluster (lib/apiserver/front-proxy.ts) shows as "<name> (Kubernetes)".
   */
  actor: { id: string | null; email: string | null; name: string } | null;
  /** Null as well when the actor is shown as provider staff. */
  actorIp: string | null;
  /**
   * Set for what was done in a support session: the operator who really acted (named, whoever
   * views: the customer is owed who signed in as them) and the user they acted as.
   */
  support: { operatorName: string; asName: string } | null;
  createdAt: string;
}

/**
 * Who did what to which object, when and from where, for an account and every account below it,
 * newest first. Owners and admins only.
 */
export async function listAuditLog(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { before?, limit? }. */
  input?: unknown;
}): Promise<AuditLogEntryView[]> {
  const { actor, accountId } = options;
  const root = await authorizeAccountAccess({
    actor,
    accountId,
    permission: canViewAuditLog,
    action: "view the audit log",
  });
  const { before, limit } = parseInput(listAuditLogSchema, options.input ?? {});
  const ids = await auditLogPage({
    path: root.path,
    before: before === undefined ? null : BigInt(before),
    limit,
  });
  const rows = await prisma.changeLog.findMany({ where: { id: { in: ids } }, orderBy: { id: "desc" } });
  const accounts = await prisma.account.findMany({
    where: {
      id: { in: [...new Set(rows.flatMap((r) => (r.accountId ? [r.accountId] : [])))] },
      path: { startsWith: root.path },
    },
    select: { id: true, slug: true, path: true },
  });
  const slugs = new Map(accounts.map((a) => [a.id, a.slug]));
  const actors = await loadActorVisibility({
    viewerUserId: actor.userId,
    actorIds: rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])),
  });
  const supportIds = [...new Set(rows.flatMap((r) => (r.impersonationId ? [r.impersonationId] : [])))];
  const supportSessions = new Map(
    (
      await prisma.impersonation.findMany({
        where: { id: { in: supportIds } },
        select: { id: true, operator: { select: { name: true } }, target: { select: { name: true } } },
      })
    ).map((i) => [i.id, { operatorName: i.operator.name, asName: i.target.name }]),
  );
  const pathOf = new Map(accounts.map((a) => [a.id, a.path]));
  return rows.map((row) => {
    const visible = row.actorUserId !== null && actors.isKnown(row.actorUserId);
    // A support session's own lines read "as you" for the user it concerns.
    const supportLine = row.kind === "Impersonation" ? parseSupportChangeData(row.data) : null;
    return {
      resourceVersion: row.id.toString(),
      kind: row.kind,
      objectId: row.objectId,
      accountId: row.accountId,
      accountSlug: row.accountId ? (slugs.get(row.accountId) ?? null) : null,
      action: row.action,
      summary: supportLine
        ? describeSupportChange(supportLine, actor.userId)
        : (row.summary ?? describeChange(row)),
      actor: row.actorUserId
        ? actors.show(row.actorUserId, row.accountId ? pathOf.get(row.accountId) : undefined)
        : row.actorName
          ? { id: null, email: null, name: `${row.actorName} (Kubernetes)` }
          : null,
      actorIp: visible ? row.actorIp : null,
      support: row.impersonationId ? (supportSessions.get(row.impersonationId) ?? null) : null,
      createdAt: row.createdAt.toISOString(),
    };
  });
}
