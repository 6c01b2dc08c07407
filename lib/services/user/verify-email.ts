import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { log } from "@/lib/log";
import { emailChangedMessage } from "@/lib/mail/messages";
import { sendMailInBackground } from "@/lib/mail/send-mail";
import { appendChange } from "@/lib/services/change-log/append-change";
import { claimEmailToken, supersedeEmailTokens } from "@/lib/services/user/email-token";
import { verifyEmailSchema } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";

export const INVALID_CONFIRMATION_LINK =
  "This confirmation link is not valid: it was used already, a newer one was sent, or it expired. Ask for a new one on your profile page.";

/**
 * Uses a confirmation link (once): the address it was sent to is confirmed, and when it is not the
 * user's address yet (they asked to change it), it becomes their address now. Then every other
 * unused link of theirs ends (they went to the old address) and the old address is told. Holding
 * the link is what entitles the caller, signed in or not.
 */
export async function verifyEmail(options: {
  /** Untrusted: { token }. */
  input: unknown;
  ip: string | null;
}): Promise<{ email: string; changed: boolean }> {
  const { token } = parseInput(verifyEmailSchema, options.input);
  const now = new Date();
  let result: { userId: string; name: string; email: string; previous: string };
  try {
    result = await prisma.$transaction(async (tx) => {
      const link = await claimEmailToken(tx, { token, purpose: "VERIFY_EMAIL", now });
      if (!link) throw new AppError("NOT_FOUND", INVALID_CONFIRMATION_LINK);
      const user = await tx.user.findUnique({
        where: { id: link.userId },
        select: { id: true, email: true, name: true, emailVerifiedAt: true },
      });
      if (!user) throw new AppError("NOT_FOUND", INVALID_CONFIRMATION_LINK);
      const changes = {
        kind: "User",
        objectId: user.id,
        accountId: null,
        actorUserId: user.id,
        actorIp: options.ip,
      };
      if (link.email === user.email) {
        if (!user.emailVerifiedAt) {
          await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
          await appendChange(tx, {
            ...changes,
            action: "UPDATED",
            data: { emailVerified: true },
            summary: `Confirmed the email address ${user.email}`,
          });
        }
        return { userId: user.id, name: user.name, email: user.email, previous: user.email };
      }
      const owner = await tx.user.findUnique({ where: { email: link.email }, select: { id: true } });
      if (owner)
        throw new AppError("CONFLICT", `${link.email} belongs to another user now; nothing was changed.`);
      await tx.user.update({ where: { id: user.id }, data: { email: link.email, emailVerifiedAt: now } });
      // Reset links went to the old address; an older confirmation link is for another address.
      await supersedeEmailTokens(tx, { userId: user.id, now });
      await appendChange(tx, {
        ...changes,
        action: "UPDATED",
        data: { emailVerified: true, previousEmail: user.email, email: link.email },
        summary: `Changed the email address from ${user.email} to ${link.email} (confirmed from a link sent there)`,
      });
      return { userId: user.id, name: user.name, email: link.email, previous: user.email };
    });
  } catch (err) {
    // Another user took the address between the check and the update.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new AppError("CONFLICT", "This address belongs to another user now; nothing was changed.");
    }
    throw err;
  }
  const changed = result.email !== result.previous;
  if (changed) {
    void sendMailInBackground(
      emailChangedMessage({ to: result.previous, name: result.name, newEmail: result.email }),
      "email_changed",
    );
  }
  log.info(changed ? "email changed" : "email verified", {
    event: changed ? "user.email_changed" : "user.email_verified",
    userId: result.userId,
  });
  return { email: result.email, changed };
}
