import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { accountIdsOnPath } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { allotmentCapacity } from "@/lib/quota/allotment";
import { pickLimits } from "@/lib/quota/limits";
import { appendAccountUpdate } from "@/lib/services/account/child-account-update";
import type { Actor } from "@/lib/services/actor";
import { lockAccounts } from "@/lib/services/quota/lock-account";
import { sumHandedOut } from "@/lib/services/quota/sum-handed-out";
import { parseInput } from "@/lib/validation/parse-input";
import { type AllotmentInput, allotmentSchema, formatLimit, LIMIT_KEYS } from "@/lib/validation/plan";

/**
 * Sets (or replaces) what a reseller or agency may hand out. Only its provider may. An allotment
 * below what the holder has already handed out is refused, naming what is over: the holder's
 * customers keep their plans, so the provider would be promising less than exists.
 */
export async function setAllotment(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: the limits and an optional oversell ratio (default 1). */
  input: unknown;
}): Promise<AllotmentInput> {
  const { actor } = options;
  const { account: reached } = await authorizeProvider({
    actor,
    accountId: options.accountId,
    permission: canManageChildAccounts,
    action: "change the allotment of this account",
  });
  const input = parseInput(allotmentSchema, options.input);
  if (reached.kind !== "RESELLER" && reached.kind !== "AGENCY") {
    throw new AppError("INVALID_INPUT", "Only resellers and agencies have an allotment.");
  }

  await prisma.$transaction(async (tx) => {
    await lockAccounts(tx, accountIdsOnPath(reached.path));
    const account = await tx.account.findUnique({ where: { id: reached.id } });
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    if (account.terminationRequestedAt)
      throw new AppError("CONFLICT", `${account.name} is being terminated.`);
    const handedOut = await sumHandedOut(tx, account);
    const capacity = allotmentCapacity(input);
    const over = LIMIT_KEYS.filter((key) => handedOut[key] > capacity[key]);
    if (over.length > 0) {
      throw new AppError(
        "LIMIT_EXCEEDED",
        `${account.name} has already handed out more than this allotment allows: ${over
          .map((key) => `${formatLimit(key, handedOut[key])} handed out, ${capacity[key]} allowed`)
          .join("; ")}. Raise the allotment or the oversell ratio.`,
      );
    }
    const allotment = await tx.allotment.upsert({
      where: { accountId: account.id },
      create: { accountId: account.id, ...input },
      update: input,
    });
    await appendAccountUpdate(tx, {
      actor,
      accountId: account.id,
      data: { allotment: { ...pickLimits(allotment), oversellRatio: allotment.oversellRatio } },
      summary: `Set the allotment of ${account.name} (oversell ratio ${allotment.oversellRatio})`,
    });
  });
  log.info("allotment set", { event: "account.allotment_set", accountId: reached.id, userId: actor.userId });
  return input;
}
