import { canViewAuditLog } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ChangeAction } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { describeChange } from "@/lib/services/audit-log/describe-change";
import { listAuditLogSchema } from "@/lib/validation/account";
import { parseInput } from "@/lib/validation/parse-input";

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
  /** Null for changes made by the system (the reconciler). */
  actor: { id: string; email: string; name: string } | null;
  actorIp: string | null;
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
  await authorizeAccount({
    userId: actor.userId,
    accountId,
    permission: canViewAuditLog,
    action: "view the audit log",
  });
  const { before, limit } = parseInput(listAuditLogSchema, options.input ?? {});
  const root = await prisma.account.findUnique({ where: { id: accountId }, select: { path: true } });
  if (!root) throw new AppError("NOT_FOUND", "Account not found.");
  const accounts = await prisma.account.findMany({
    where: { path: { startsWith: root.path } },
    select: { id: true, slug: true },
  });
  const slugs = new Map(accounts.map((a) => [a.id, a.slug]));
  const rows = await prisma.changeLog.findMany({
    where: {
      accountId: { in: [...slugs.keys()] },
      // Status reports of the reconciler are not somebody's action; they stay out of the audit log.
      action: { not: "STATUS" },
      ...(before === undefined ? {} : { id: { lt: BigInt(before) } }),
    },
    orderBy: { id: "desc" },
    take: limit,
  });
  const actorIds = [...new Set(rows.flatMap((r) => (r.actorUserId ? [r.actorUserId] : [])))];
  const users = await prisma.user.findMany({
    where: { id: { in: actorIds } },
    select: { id: true, email: true, name: true },
  });
  const usersById = new Map(users.map((u) => [u.id, u]));
  return rows.map((row) => ({
    resourceVersion: row.id.toString(),
    kind: row.kind,
    objectId: row.objectId,
    accountId: row.accountId,
    accountSlug: row.accountId ? (slugs.get(row.accountId) ?? null) : null,
    action: row.action,
    summary: row.summary ?? describeChange(row),
    actor: row.actorUserId ? (usersById.get(row.actorUserId) ?? null) : null,
    actorIp: row.actorIp,
    createdAt: row.createdAt.toISOString(),
  }));
}
