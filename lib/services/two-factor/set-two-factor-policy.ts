import { canSetTwoFactorPolicy } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { parseInput } from "@/lib/validation/parse-input";
import { twoFactorPolicySchema } from "@/lib/validation/two-factor";

export interface TwoFactorPolicyView {
  accountId: string;
  requireTwoFactor: boolean;
}

/**
 * Requires (or stops requiring) two-factor sign-in of every member of the account and of the
 * accounts below it. Owners and admins of the account or above it.
 */
export async function setTwoFactorPolicy(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { requireTwoFactor }. */
  input: unknown;
}): Promise<TwoFactorPolicyView> {
  const { actor } = options;
  await authorizeAccount({
    actor,
    accountId: options.accountId,
    permission: canSetTwoFactorPolicy,
    action: "change who must use two-factor sign-in",
  });
  const { requireTwoFactor } = parseInput(twoFactorPolicySchema, options.input);
  const view = await prisma.$transaction(async (tx) => {
    const account = await tx.account.update({
      where: { id: options.accountId },
      data: { requireTwoFactor },
      select: { id: true, name: true, requireTwoFactor: true },
    });
    await appendChange(tx, {
      kind: "Account",
      objectId: account.id,
      accountId: account.id,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { requireTwoFactor },
      summary: requireTwoFactor
        ? `Required two-factor sign-in for everyone in ${account.name} and below`
        : `Stopped requiring two-factor sign-in in ${account.name}`,
    });
    return { accountId: account.id, requireTwoFactor: account.requireTwoFactor };
  });
  log.info("two-factor policy changed", {
    event: "account.two_factor_policy",
    accountId: view.accountId,
    userId: actor.userId,
    requireTwoFactor,
  });
  return view;
}
