import { hashPassword } from "@/lib/auth/password";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { hashInviteToken } from "@/lib/services/membership/invite-token";
import { parseInput } from "@/lib/validation/parse-input";
import { registerUserSchema } from "@/lib/validation/user";

const INVALID_LINK = "This invitation link is not valid or has expired. Ask for a new one.";

function emailTaken(): AppError {
  const message = "A user with this email address exists. Sign in instead.";
  return new AppError("CONFLICT", message, { email: message });
}

/**
 * Creates a user for someone holding a pending invitation: Sitepod has no open sign-up, so the
 * link is what entitles an anonymous visitor to a user. The invitation itself is accepted
 * afterwards, signed in, by accept-invite.
 */
export async function registerUser(options: {
  /** Untrusted: { token, name, email, password }. */
  input: unknown;
}): Promise<{ id: string; email: string }> {
  const input = parseInput(registerUserSchema, options.input);
  const invite = await prisma.invite.findUnique({
    where: { tokenHash: hashInviteToken(input.token) },
    select: { acceptedAt: true, expiresAt: true, account: { select: { terminationRequestedAt: true } } },
  });
  if (
    !invite ||
    invite.acceptedAt ||
    invite.expiresAt <= new Date() ||
    invite.account.terminationRequestedAt
  ) {
    throw new AppError("NOT_FOUND", INVALID_LINK);
  }
  if (await prisma.user.findUnique({ where: { email: input.email }, select: { id: true } }))
    throw emailTaken();
  try {
    const user = await prisma.user.create({
      data: { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) },
      select: { id: true, email: true },
    });
    log.info("user registered", { event: "user.registered", userId: user.id });
    return user;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw emailTaken();
    throw err;
  }
}
