import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { hashInviteToken } from "@/lib/services/membership/invite-token";
import { acceptInviteSchema } from "@/lib/validation/membership";

/** One message for unknown, expired and used links: none of them reveals that an account exists. */
const INVALID_LINK = "This invitation link is not valid or has expired. Ask for a new one.";

/**
 * The signed-in user accepts an invitation: they become a member of its account with its role,
 * once; the link cannot be used again. A user who is already a member is told so, and the link
 * stays unused (for the person it was meant for).
 */
export async function acceptInvite(options: {
  actor: Actor;
  /** Untrusted: { token }. */
  input: unknown;
}): Promise<{ accountId: string; accountName: string; role: Role }> {
  const { actor } = options;
  requireInteractive(actor, "accept invitations");
  const parsed = acceptInviteSchema.safeParse(options.input);
  if (!parsed.success) throw new AppError("NOT_FOUND", INVALID_LINK);
  const tokenHash = hashInviteToken(parsed.data.token);

  const result = await prisma.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({
      where: { tokenHash },
      include: { account: { select: { id: true, name: true, terminationRequestedAt: true } } },
    });
    const now = new Date();
    if (!invite || invite.acceptedAt || invite.expiresAt <= now || invite.account.terminationRequestedAt) {
      throw new AppError("NOT_FOUND", INVALID_LINK);
    }
    const existing = await tx.membership.findUnique({
      where: { userId_accountId: { userId: actor.userId, accountId: invite.accountId } },
      select: { id: true },
    });
    if (existing) throw new AppError("CONFLICT", `You are already a member of ${invite.account.name}.`);
    // The acceptedAt guard makes two concurrent acceptances of one link grant it once.
    const claimed = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null },
      data: { acceptedAt: now, acceptedByUserId: actor.userId },
    });
    if (claimed.count !== 1) throw new AppError("NOT_FOUND", INVALID_LINK);
    const membership = await tx.membership.create({
      data: { userId: actor.userId, accountId: invite.accountId, role: invite.role },
      include: { user: { select: { email: true } } },
    });
    await appendChange(tx, {
      kind: "Membership",
      objectId: membership.id,
      accountId: invite.accountId,
      action: "CREATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { userId: actor.userId, role: invite.role, inviteId: invite.id },
      summary: `${membership.user.email} joined ${invite.account.name} as ${invite.role.toLowerCase()}`,
    });
    return { accountId: invite.accountId, accountName: invite.account.name, role: invite.role };
  });
  log.info("invite accepted", {
    event: "invite.accepted",
    accountId: result.accountId,
    userId: actor.userId,
  });
  return result;
}
