import { canViewChildAccounts } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { allotmentCapacity } from "@/lib/quota/allotment";
import { pickLimits } from "@/lib/quota/limits";
import type { Actor } from "@/lib/services/actor";
import { sumHandedOut } from "@/lib/services/quota/sum-handed-out";
import type { Limits } from "@/lib/validation/plan";

export interface AllotmentUsageView {
  accountId: string;
  /** Null: the account has no allotment and hands out without a cap. */
  allotment: (Limits & { oversellRatio: number }) | null;
  /** What the allotment allows once the oversell ratio is applied. */
  capacity: Limits | null;
  /** The limits of every plan below the account (accounts being terminated excluded), summed. */
  handedOut: Limits;
}

/** What a reseller or agency has handed out to the accounts below it, against its allotment. */
export async function getAllotmentUsage(options: {
  actor: Actor;
  accountId: string;
}): Promise<AllotmentUsageView> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canViewChildAccounts,
    action: "view the allotment of this account",
  });
  const account = await prisma.account.findUnique({
    where: { id: accountId },
    include: { allotment: true },
  });
  if (!account) throw new AppError("NOT_FOUND", "Account not found.");
  const handedOut = await sumHandedOut(prisma, account);
  const allotment = account.allotment
    ? { ...pickLimits(account.allotment), oversellRatio: Number(account.allotment.oversellRatio) }
    : null;
  return {
    accountId,
    allotment,
    capacity: allotment ? allotmentCapacity(allotment) : null,
    handedOut,
  };
}
