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
    },
    select: { id: true },
  });
  return row.id;
}
