import { requireInteractive } from "@/lib/authz/interactive";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendOwnUserChange } from "@/lib/services/change-log/append-change";
import { updateProfileSchema } from "@/lib/validation/account-email";
import { parseInput } from "@/lib/validation/parse-input";

/** Changes the caller's own name (what the members of their accounts see). */
export async function updateProfile(options: {
  actor: Actor;
  /** Untrusted: { name }. */
  input: unknown;
}): Promise<{ name: string }> {
  const { actor } = options;
  requireInteractive(actor, "change your name");
  const { name } = parseInput(updateProfileSchema, options.input);
  await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: actor.userId }, select: { name: true } });
    if (!user) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    if (user.name === name) return;
    await tx.user.update({ where: { id: actor.userId }, data: { name } });
    await appendOwnUserChange(tx, actor, {
      data: { name },
      summary: `Changed the name from ${user.name} to ${name}`,
    });
  });
  log.info("profile updated", { event: "user.profile_updated", userId: actor.userId });
  return { name };
}
