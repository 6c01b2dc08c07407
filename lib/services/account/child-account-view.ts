import type { Account, Plan } from "@/lib/generated/prisma/client";
import type { AccountKind, AccountStatus } from "@/lib/generated/prisma/enums";
import { type Condition, parseConditions } from "@/lib/views";

/** An account as its provider sees it in the list of the accounts below them. */
export interface ChildAccountView {
  id: string;
  slug: string;
  name: string;
  kind: AccountKind;
  status: AccountStatus;
  parentId: string | null;
  plan: { id: string; name: string } | null;
  suspendedAt: string | null;
  suspendedReason: string | null;
  terminationRequestedAt: string | null;
  /** Written by the account reconciler; the table shows a Degraded one's message. */
  conditions: Condition[];
  /** Sites not being deleted. */
  siteCount: number;
  createdAt: string;
}

export type AccountForChildView = Account & { plan: Pick<Plan, "id" | "name"> | null };

export const childAccountInclude = { plan: { select: { id: true, name: true } } } as const;

export function toChildAccountView(account: AccountForChildView, siteCount: number): ChildAccountView {
  return {
    id: account.id,
    slug: account.slug,
    name: account.name,
    kind: account.kind,
    status: account.status,
    parentId: account.parentId,
    plan: account.plan ? { id: account.plan.id, name: account.plan.name } : null,
    suspendedAt: account.suspendedAt?.toISOString() ?? null,
    suspendedReason: account.suspendedReason,
    terminationRequestedAt: account.terminationRequestedAt?.toISOString() ?? null,
    conditions: parseConditions(account.conditions ?? [], { accountId: account.id }),
    siteCount,
    createdAt: account.createdAt.toISOString(),
  };
}
