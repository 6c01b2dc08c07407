import { prisma } from "@/lib/db";
import type { Role } from "@/lib/generated/prisma/client";
import { hashInviteToken } from "@/lib/services/membership/invite-token";
import { acceptInviteSchema } from "@/lib/validation/membership";

export interface InvitePreview {
  accountName: string;
  role: Role;
  /** The link was already used to register: it now only lets a signed-in user accept. */
  registered: boolean;
}

/**
 * What an invitation link offers, for the page that opens it; null for a link that is unknown,
 * used, expired or for an account being terminated (one answer for all, as accept-invite gives).
 * Holding the token is the authorization: it is 256 random bits, stored only as a hash.
 */
export async function getInvite(options: { token: string }): Promise<InvitePreview | null> {
  const parsed = acceptInviteSchema.safeParse({ token: options.token });
  if (!parsed.success) return null;
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashInviteToken(parsed.data.token) },
    select: {
      role: true,
      acceptedAt: true,
      registeredAt: true,
      expiresAt: true,
      account: { select: { name: true, terminationRequestedAt: true } },
    },
  });
  if (
    !invite ||
    invite.acceptedAt ||
    invite.expiresAt <= new Date() ||
    invite.account.terminationRequestedAt
  ) {
    return null;
  }
  return { accountName: invite.account.name, role: invite.role, registered: invite.registeredAt !== null };
}
