import { canInviteMembers, roleStrength } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Invite } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { inviteIdSchema } from "@/lib/validation/membership";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * A pending (not accepted) invitation of the account, for its owners and admins to resend or revoke:
 * looked up with the account in `where`, so an invitation of another account is NOT_FOUND. One whose
 * role is stronger than the caller's (an owner invitation from the provider) is FORBIDDEN.
 */
export async function findPendingInvite(options: {
  actor: Actor;
  accountId: string;
  input: unknown;
  action: string;
}): Promise<Invite & { account: { name: string; terminationRequestedAt: Date | null } }> {
  const { actor, accountId } = options;
  const actorRole = await authorizeAccount({
    actor,
    accountId,
    permission: canInviteMembers,
    action: options.action,
  });
  const { inviteId } = parseInput(inviteIdSchema, options.input);
  const invite = await prisma.invite.findFirst({
    where: { id: inviteId, accountId, acceptedAt: null },
    include: { account: { select: { name: true, terminationRequestedAt: true } } },
  });
  if (!invite) throw new AppError("NOT_FOUND", "Invitation not found. It may have been accepted or revoked.");
  if (roleStrength(invite.role) > roleStrength(actorRole)) {
    throw new AppError(
      "FORBIDDEN",
      `Your role (${actorRole.toLowerCase()}) does not allow you to ${options.action} for an ${invite.role.toLowerCase()}.`,
    );
  }
  return invite;
}
