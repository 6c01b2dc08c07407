import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mailConfigured } from "@/lib/mail/send-mail";
import type { Actor } from "@/lib/services/actor";

export interface ProfileView {
  name: string;
  email: string;
  /** ISO time the address was confirmed, or null. */
  emailVerifiedAt: string | null;
  /** A change of address waiting for its confirmation link to be used. */
  pendingEmail: { email: string; expiresAt: string } | null;
  /** Whether Sitepod can send mail at all (else nothing here can be confirmed). */
  canSendMail: boolean;
}

/** The caller's own profile, for the profile page. */
export async function getProfile(options: { actor: Actor }): Promise<ProfileView> {
  const user = await prisma.user.findUnique({
    where: { id: options.actor.userId },
    select: { name: true, email: true, emailVerifiedAt: true },
  });
  if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
  const pending = await prisma.emailToken.findFirst({
    where: {
      userId: options.actor.userId,
      purpose: "VERIFY_EMAIL",
      usedAt: null,
      expiresAt: { gt: new Date() },
      email: { not: user.email },
    },
    orderBy: { createdAt: "desc" },
    select: { email: true, expiresAt: true },
  });
  return {
    name: user.name,
    email: user.email,
    emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
    pendingEmail: pending ? { email: pending.email, expiresAt: pending.expiresAt.toISOString() } : null,
    canSendMail: mailConfigured(),
  };
}
