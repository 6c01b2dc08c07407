import { canInviteMembers, canViewAccount, ROLES_BY_STRENGTH } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/services/actor";
import { type InviteView, toInviteView } from "@/lib/services/membership/create-invite";

/** How long an expired invitation stays listed. */
const EXPIRED_LISTED_MS = 30 * 24 * 60 * 60 * 1000;

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface MembersView {
  /** Direct members of the account (members of providers above it are not listed). */
  members: MemberView[];
  /**
   * Invitations not accepted yet (expired ones for 30 days, to resend or revoke); shown to those who
   * may invite only.
   */
  pendingInvites: InviteView[];
}

/** The account's members by role then email and, for owners and admins, its pending invitations. */
export async function listMembers(options: { actor: Actor; accountId: string }): Promise<MembersView> {
  const { actor, accountId } = options;
  const role = await authorizeAccount({
    actor,
    accountId,
    permission: canViewAccount,
    action: "view members",
  });
  const memberships = await prisma.membership.findMany({
    where: { accountId },
    include: { user: { select: { email: true, name: true } } },
  });
  const members = memberships
    .map((m) => ({
      userId: m.userId,
      email: m.user.email,
      name: m.user.name,
      role: m.role,
      createdAt: m.createdAt.toISOString(),
    }))
    .sort(
      (a, b) =>
        ROLES_BY_STRENGTH.indexOf(a.role) - ROLES_BY_STRENGTH.indexOf(b.role) ||
        a.email.localeCompare(b.email),
    );
  const invites = canInviteMembers(role)
    ? await prisma.invite.findMany({
        where: { accountId, acceptedAt: null, expiresAt: { gt: new Date(Date.now() - EXPIRED_LISTED_MS) } },
        orderBy: { createdAt: "desc" },
      })
    : [];
  return {
    members,
    pendingInvites: invites.map(toInviteView),
  };
}
