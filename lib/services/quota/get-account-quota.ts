import { canViewAccount } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { pickLimits, type Usage } from "@/lib/quota/limits";
import type { Actor } from "@/lib/services/actor";
import { measureUsage } from "@/lib/services/quota/measure-usage";
import type { Limits } from "@/lib/validation/plan";

export interface AccountQuotaView {
  accountId: string;
  /** Null: the account has no plan, and no limits. */
  plan: ({ id: string; name: string } & Limits) | null;
  usage: Usage;
  status: "ACTIVE" | "SUSPENDED";
  suspendedReason: string | null;
  terminationRequested: boolean;
}

/** What the account's plan allows and what it uses, for the "usage" panel of its members. */
export async function getAccountQuota(options: {
  actor: Actor;
  accountId: string;
}): Promise<AccountQuotaView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view this account",
  });
  // Reads side by side, not one transaction: a panel a moment apart is what any refresh shows, and
  // a transaction would hold one pooled connection for all of them, one after another.
  const [account, usage] = await Promise.all([
    prisma.account.findUnique({ where: { id: accountId }, include: { plan: true } }),
    measureUsage(prisma, accountId),
  ]);
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  return {
    accountId,
    plan: account.plan ? { id: account.plan.id, name: account.plan.name, ...pickLimits(account.plan) } : null,
    usage,
    status: account.status,
    suspendedReason: account.suspendedReason,
    terminationRequested: account.terminationRequestedAt !== null,
  };
}
