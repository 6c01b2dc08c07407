import { canInviteMembers, roleStrength } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { generateInviteToken, hashInviteToken } from "@/lib/services/membership/invite-token";
import { createInviteSchema, INVITE_TTL_DAYS } from "@/lib/validation/membership";
import { parseInput } from "@/lib/validation/parse-input";

export interface InviteView {
  id: string;
  accountId: string;
  role: Role;
  email: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface CreatedInvite {
  invite: InviteView;
  /** Shown once for the inviter to copy into the link; only its sha256 is stored. */
  token: string;
}

/**
 * Creates an invitation link to an account with a role no stronger than the inviter's own
 * (ownership is transferred, never invited). Valid for INVITE_TTL_DAYS, for one acceptance.
 */
export async function createInvite(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { role, email? }. */
  input: unknown;
}): Promise<CreatedInvite> {
  const { actor, accountId } = options;
  const actorRole = await authorizeAccount({
    userId: actor.userId,
    accountId,
    permission: canInviteMembers,
    action: "invite members",
  });
  const input = parseInput(createInviteSchema, options.input);
  if (roleStrength(input.role) > roleStrength(actorRole)) {
    const message = `You cannot invite someone with a stronger role than yours (${actorRole.toLowerCase()}).`;
    throw new AppError("FORBIDDEN", message, { role: message });
  }
  const token = generateInviteToken();
  const expiresAt = new Date(Date.now() + INVITE_TTL_DAYS * 24 * 60 * 60 * 1000);

  const invite = await prisma.$transaction(async (tx) => {
    const account = await tx.account.findUnique({
      where: { id: accountId },
      select: { name: true, terminationRequestedAt: true },
    });
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    if (account.terminationRequestedAt)
      throw new AppError("CONFLICT", `${account.name} is being terminated.`);
    const created = await tx.invite.create({
      data: {
        accountId,
        role: input.role,
        email: input.email ?? null,
        tokenHash: hashInviteToken(token),
        createdByUserId: actor.userId,
        expiresAt,
      },
    });
    await appendChange(tx, {
      kind: "Invite",
      objectId: created.id,
      accountId,
      action: "CREATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { role: input.role, email: input.email ?? null, expiresAt: expiresAt.toISOString() },
      summary: `Invited ${input.email ?? "someone (by link)"} to ${account.name} as ${input.role.toLowerCase()}`,
    });
    return created;
  });
  log.info("invite created", {
    event: "invite.created",
    inviteId: invite.id,
    accountId,
    userId: actor.userId,
  });
  return {
    invite: {
      id: invite.id,
      accountId: invite.accountId,
      role: invite.role,
      email: invite.email,
      expiresAt: invite.expiresAt.toISOString(),
      createdAt: invite.createdAt.toISOString(),
    },
    token,
  };
}
