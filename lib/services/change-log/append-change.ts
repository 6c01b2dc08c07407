import type { ChangeAction, Prisma } from "@/lib/generated/prisma/client";
import { attributedActor, currentChangeAttribution } from "./attribution";

export interface AppendChangeOptions {
  /** The resource kind, e.g. "Site". */
  kind: string;
  objectId: string;
  accountId: string | null;
  action: ChangeAction;
  actorUserId?: string | null;
  actorIp?: string | null;
  /**
   * The support session the change was made in (lib/services/impersonation/). Requests in one are
   * attributed without it (./attribution.ts); only the support session's own rows pass it.
   */
  impersonationId?: string | null;
  /** A small summary of the change; never secrets. */
  data?: Prisma.InputJsonValue;
  /** One human-readable line for the audit log ("Suspended Acme: unpaid invoice"); never secrets. */
  summary?: string;
}

/**
 * Appends a change-log row inside the caller's transaction, so the row exists exactly when the write
 * it describes does. Returns its id: the new global resourceVersion. In a support session, the row
 * names the operator as its actor and the session beside them; in a request made by a Kubernetes
 * user through a cluster, it names that user instead (./attribution.ts).
 */
export async function appendChange(
  tx: Prisma.TransactionClient,
  options: AppendChangeOptions,
): Promise<bigint> {
  const row = await tx.changeLog.create({ data: changeRow(options), select: { id: true } });
  return row.id;
}

/**
 * Appends change-log rows as appendChange does, in one statement, for writers that need no
 * resourceVersion back (the reconciler's status writes, the event recorder): MySQL has no
 * RETURNING, so reading an inserted row's id back is a second statement.
 */
export async function appendChanges(
  tx: Prisma.TransactionClient,
  changes: AppendChangeOptions[],
): Promise<void> {
  if (changes.length === 0) return;
  await tx.changeLog.createMany({ data: changes.map(changeRow) });
}

/** A STATUS row of a site (what the reconciler observed, in `data`), written as appendChanges does. */
export function appendSiteStatus(
  tx: Prisma.TransactionClient,
  site: { id: string; accountId: string },
  data: Prisma.InputJsonObject,
): Promise<void> {
  return appendChanges(tx, [
    { kind: "Site", objectId: site.id, accountId: site.accountId, action: "STATUS", data },
  ]);
}

function changeRow(options: AppendChangeOptions): Prisma.ChangeLogCreateManyInput {
  return {
    kind: options.kind,
    objectId: options.objectId,
    accountId: options.accountId,
    action: options.action,
    ...attributedActor(options, currentChangeAttribution()),
    actorIp: options.actorIp ?? null,
    ...(options.data === undefined ? {} : { data: options.data }),
    // The column holds 500 characters; a long reason must not fail the write it describes.
    ...(options.summary === undefined ? {} : { summary: options.summary.slice(0, 500) }),
  };
}

/**
 * A user's change to their own user (password, sessions, two-factor sign-in): a "User" row of no
 * account, so that it stays out of every account's audit log and live updates.
 */
export function appendOwnUserChange(
  tx: Prisma.TransactionClient,
  actor: { userId: string; ip?: string | null },
  change: { data: Prisma.InputJsonValue; summary: string },
): Promise<bigint> {
  return appendChange(tx, {
    kind: "User",
    objectId: actor.userId,
    accountId: null,
    action: "UPDATED",
    actorUserId: actor.userId,
    actorIp: actor.ip ?? null,
    ...change,
  });
}
