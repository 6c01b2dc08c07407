import { canInviteMembers, roleStrength } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Invite, Prisma, Role } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { deliverInviteEmail } from "@/lib/services/membership/deliver-invite-email";
import { generateInviteToken, hashInviteToken } from "@/lib/services/membership/invite-token";
import { createInviteSchema, INVITE_TTL_DAYS } from "@/lib/validation/membership";
import { parseInput } from "@/lib/validation/parse-input";

export interface InviteView {
  id: string;
  accountId: string;
  role: Role;
  email: string | null;
  expiresAt: string;
  /** When Sitepod last mailed the link to `email`, or null. */
  emailedAt: string | null;
  createdAt: string;
}

export interface CreatedInvite {
  invite: InviteView;
  /** Shown once for the inviter to copy into the link; only its sha256 is stored. */
  token: string;
}

export interface CreatedInviteWithEmail extends CreatedInvite {
  /** Asked to send the link by email and it could not go out: why (the link still works). */
  emailError?: string;
}

/** An invite as listed and returned on creation: never its token hash. */
export function toInviteView(invite: Invite): InviteView {
  return {
    id: invite.id,
    accountId: invite.accountId,
    role: invite.role,
    email: invite.email,
    expiresAt: invite.expiresAt.toISOString(),
    emailedAt: invite.emailedAt?.toISOString() ?? null,
    createdAt: invite.createdAt.toISOString(),
  };
}

/** The invite row (only the token's hash is stored) and its CREATED change, inside the caller's transaction. */
export async function insertInvite(
  tx: Prisma.TransactionClient,
  options: {
    actor: Actor;
    accountId: string;
    role: Role;
    email: string | null;
    /** From generateInviteToken; shown once to the inviter. */
    token: string;
    expiresAt: Date;
    summary: string;
  },
): Promise<Invite> {
  const { actor, accountId, role, email, expiresAt } = options;
  const created = await tx.invite.create({
    data: {
      accountId,
      role,
      email,
      tokenHash: hashInviteToken(options.token),
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
    data: { role, email, expiresAt: expiresAt.toISOString() },
    summary: options.summary,
  });
  return created;
}

/**
 * Creates an invitation link to an account with a role no stronger than the inviter's own
 * (ownership is transferred, never invited). Valid for INVITE_TTL_DAYS, for one acceptance. With
 * `sendEmail`, the link is also mailed to `email`; if that fails the invitation stays, its link is
 * answered as always, and `emailError` says why it was not sent.
 */
export async function createInvite(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { role, email?, sendEmail? }. */
  input: unknown;
}): Promise<CreatedInviteWithEmail> {
  const { actor, accountId } = options;
  const actorRole = await authorizeAccount({
    actor,
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

  const { invite, accountName } = await prisma.$transaction(async (tx) => {
    const account = await tx.account.findUnique({
      where: { id: accountId },
      select: { name: true, terminationRequestedAt: true },
    });
    if (!account) throw new AppError("NOT_FOUND", "Account not found.");
    if (account.terminationRequestedAt)
      throw new AppError("CONFLICT", `${account.name} is being terminated.`);
    const created = await insertInvite(tx, {
      actor,
      accountId,
      role: input.role,
      email: input.email ?? null,
      token,
      expiresAt,
      summary: `Invited ${input.email ?? "someone (by link)"} to ${account.name} as ${input.role.toLowerCase()}`,
    });
    return { invite: created, accountName: account.name };
  });
  log.info("invite created", {
    event: "invite.created",
    inviteId: invite.id,
    accountId,
    userId: actor.userId,
  });
  if (!input.sendEmail || !invite.email) return { invite: toInviteView(invite), token };
  try {
    const { emailedAt } = await deliverInviteEmail({
      actor,
      invite: { ...invite, email: invite.email },
      accountName,
      token,
    });
    return { invite: toInviteView({ ...invite, emailedAt }), token };
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "UNAVAILABLE") throw err;
    return { invite: toInviteView(invite), token, emailError: err.message };
  }
}
