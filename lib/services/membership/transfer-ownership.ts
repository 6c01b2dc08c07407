import { canTransferOwnership } from "@/lib/authz/permissions";
import { authorizeAccount } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { appendChange } from "@/lib/services/change-log/append-change";
import { transferOwnershipSchema } from "@/lib/validation/membership";
import { parseInput } from "@/lib/validation/parse-input";

/**
 * Makes another member of the account its owner; the previous owner(s) of the account become
 * admins. Only an owner (of the account or of a provider above it) may.
 */
export async function transferOwnership(options: {
  actor: Actor;
  accountId: string;
  /** Untrusted: { userId } of an existing member of the account. */
  input: unknown;
}): Promise<void> {
  const { actor, accountId } = options;
  await authorizeAccount({
    actor,
    accountId,
    permission: canTransferOwnership,
    action: "transfer the ownership",
  });
  const { userId } = parseInput(transferOwnershipSchema, options.input);

  await prisma.$transaction(async (tx) => {
    const target = await tx.membership.findUnique({
      where: { userId_accountId: { userId, accountId } },
      include: { user: { select: { email: true } }, account: { select: { name: true } } },
    });
    if (!target) {
      throw new AppError("NOT_FOUND", "Member not found. Invite them first.", {
        userId: "Member not found.",
      });
    }
    if (target.role === "OWNER")
      throw new AppError("CONFLICT", `${target.user.email} already owns this account.`);
    const demoted = await tx.membership.updateMany({
      where: { accountId, role: "OWNER" },
      data: { role: "ADMIN" },
    });
    await tx.membership.update({ where: { id: target.id }, data: { role: "OWNER" } });
    await appendChange(tx, {
      kind: "Membership",
      objectId: target.id,
      accountId,
      action: "UPDATED",
      actorUserId: actor.userId,
      actorIp: actor.ip ?? null,
      data: { userId, role: "OWNER", previousRole: target.role, demotedOwners: demoted.count },
      summary: `Transferred the ownership of ${target.account.name} to ${target.user.email}`,
    });
  });
  log.info("ownership transferred", {
    event: "membership.ownership_transferred",
    accountId,
    newOwnerId: userId,
    userId: actor.userId,
  });
}
