import { canManageChildAccounts } from "@/lib/authz/permissions";
import { authorizeProvider } from "@/lib/authz/provider";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { type CreatedInvite, insertInvite, toInviteView } from "@/lib/services/membership/create-invite";
import { generateInviteToken } from "@/lib/services/membership/invite-token";
import { INVITE_TTL_DAYS } from "@/lib/validation/membership";

/**
 * The first owner of an account its provider just created: an OWNER invitation link. Ownership is
 * otherwise only transferred, so this is refused once the account has an owner; only the provider
 * (a role above the account) may hand it out.
 */
export async function createOwnerInvite(options: {
  actor: Actor;
  accountId: string;
}): Promise<CreatedInvite> {
  const { actor } = options;
  const { account } = await authorizeProvider({
    actor,
    accountId: options.accountId,
    permission: canManageChildAccounts,
    action: "invite the owner of this account",
  });
  const token = generateInviteToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 24 * 60 * 60 * 1000);
  const invite = await prisma.$transaction(async (tx) => {
    const owner = await tx.membership.findFirst({
      where: { accountId: account.id, role: "OWNER" },
      select: { id: true },
    });
    if (owner) throw new AppError("CONFLICT", `${account.name} already has an owner.`);
    if (account.terminationRequestedAt)
      throw new AppError("CONFLICT", `${account.name} is being terminated.`);
    return insertInvite(tx, {
      actor,
      accountId: account.id,
      role: "OWNER",
      email: null,
      token,
      expiresAt,
      summary: `Invited the owner of ${account.name} (by link)`,
    });
  });
  log.info("owner invite created", {
    event: "invite.created",
    inviteId: invite.id,
    accountId: account.id,
    userId: actor.userId,
  });
  return { invite: toInviteView(invite), token };
}
