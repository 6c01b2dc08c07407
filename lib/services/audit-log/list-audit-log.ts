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
  /**
   * Null for changes made by the system (the reconciler). Staff of a provider above the viewer
   * (a reseller's or the platform's users acting on a customer) show as "<Provider> staff", with
   * id and email null: a customer learns which provider acted, not who there.
   */
  actor: { id: string | null; email: string | null; name: string } | null;
  /** Null as well when the actor is shown as provider staff. */
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
    select: { id: true, slug: true, path: true },
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
  const [users, actorMemberships, viewerMemberships] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true, name: true } }),
    prisma.membership.findMany({
      where: { userId: { in: actorIds } },
      select: { userId: true, account: { select: { name: true, path: true } } },
    }),
    prisma.membership.findMany({
      where: { userId: actor.userId },
      select: { account: { select: { path: true } } },
    }),
  ]);
  const usersById = new Map(users.map((u) => [u.id, u]));
  const viewerRoots = viewerMemberships.map((m) => m.account.path);
  // The viewer may know who acted when they share an account with the actor or stand above one
  // of the actor's accounts; anyone else acted from above the viewer, as their provider's staff.
  const known = new Set(
    actorMemberships
      .filter((m) => viewerRoots.some((root) => m.account.path.startsWith(root)))
      .map((m) => m.userId),
  );
  const staffLabel = (userId: string, accountId: string | null): string => {
    const rowPath = accountId ? accounts.find((a) => a.id === accountId)?.path : undefined;
    // The deepest of the actor's accounts above the changed one: the provider they acted for.
    const provider = actorMemberships
      .filter((m) => m.userId === userId && rowPath?.startsWith(m.account.path))
      .sort((a, b) => b.account.path.length - a.account.path.length)[0];
    return provider ? `${provider.account.name} staff` : "Former member";
  };
  return rows.map((row) => {
    const user = row.actorUserId ? usersById.get(row.actorUserId) : undefined;
    const visible = user !== undefined && known.has(user.id);
    return {
      resourceVersion: row.id.toString(),
      kind: row.kind,
      objectId: row.objectId,
      accountId: row.accountId,
      accountSlug: row.accountId ? (slugs.get(row.accountId) ?? null) : null,
      action: row.action,
      summary: row.summary ?? describeChange(row),
      actor: !user
        ? null
        : visible
          ? user
          : { id: null, email: null, name: staffLabel(user.id, row.accountId) },
      actorIp: visible ? row.actorIp : null,
      createdAt: row.createdAt.toISOString(),
    };
  });
}
