import type { ChangeAction, Prisma } from "@/lib/generated/prisma/client";

export interface AppendChangeOptions {
  /** The resource kind, e.g. "Site". */
  kind: string;
  objectId: string;
  accountId: string | null;
  action: ChangeAction;
  actorUserId?: string | null;
  actorIp?: string | null;
  /** A small summary of the change; never secrets. */
  data?: Prisma.InputJsonValue;
  /** One human-readable line for the audit log ("Suspended Acme: unpaid invoice"); never secrets. */
  summary?: string;
}

/**
 * Appends a change-log row inside the caller's transaction, so the row exists exactly when the write
 * it describes does. Returns its id: the new global resourceVersion.
 */
export async function appendChange(
  tx: Prisma.TransactionClient,
  options: AppendChangeOptions,
): Promise<bigint> {
  const row = await tx.changeLog.create({
    data: {
      kind: options.kind,
      objectId: options.objectId,
      accountId: options.accountId,
      action: options.action,
      actorUserId: options.actorUserId ?? null,
      actorIp: options.actorIp ?? null,
      ...(options.data === undefined ? {} : { data: options.data }),
      // The column holds 500 characters; a long reason must not fail the write it describes.
      ...(options.summary === undefined ? {} : { summary: options.summary.slice(0, 500) }),
    },
    select: { id: true },
  });
  return row.id;
}
