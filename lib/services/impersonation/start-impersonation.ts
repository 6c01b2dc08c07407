import { impersonationExpiry, IMPERSONATION_MINUTES, impersonationRefusal } from "@/lib/authz/impersonation";
import { requireInteractive } from "@/lib/authz/interactive";
import { canImpersonateUsers } from "@/lib/authz/permissions";
import { authorizePlatformOperator } from "@/lib/authz/platform";
import { reachableAccountWhere } from "@/lib/authz/scope";
import { prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import type { Actor } from "@/lib/services/actor";
import { startImpersonationSchema } from "@/lib/validation/impersonation";
import { parseInput } from "@/lib/validation/parse-input";
import { appendSupportChanges } from "./append-support-changes";

export const USER_NOT_FOUND = "User not found.";

export interface StartedImpersonation {
  impersonationId: string;
  targetName: string;
  expiresAt: string;
  /** Where the browser goes next: the panel's front door, which opens the target's account. */
  home: string;
}

/**
 * An operator (owner or admin of the platform) signs in as a user for support, with a reason:
 * their session (the one making the call) acts as that user from the next request on, with that
 * user's memberships only, until they end it or IMPERSONATION_MINUTES pass. Every account the user
 * belongs to records it in its audit log. Never through an API token or from inside a support
 * session; never as oneself, another operator or a user of no account (impersonationRefusal).
 */
export async function startImpersonation(options: {
  actor: Actor;
  /** Untrusted: { userId, reason }. */
  input: unknown;
  now?: Date;
}): Promise<StartedImpersonation> {
  const { actor } = options;
  requireInteractive(actor, "sign in as another user");
  await authorizePlatformOperator({
    actor,
    permission: canImpersonateUsers,
    action: "sign in as users",
    notFound: USER_NOT_FOUND,
  });
  const { userId, reason } = parseInput(startImpersonationSchema, options.input);
  const sessionId = actor.sessionId;
  // Only a browser's session can act as someone else (a call without one has nowhere to keep it).
  if (!sessionId) throw new AppError("FORBIDDEN", "Sign in to the panel to sign in as a user.");
  const now = options.now ?? new Date();
  const reachable = await reachableAccountWhere(actor);
  const started = await prisma.$transaction(async (tx) => {
    const target = await tx.user.findFirst({
      // A user the operator reaches through an account, or one of no account (refused below, by name).
      where: {
        id: userId,
        OR: [{ memberships: { some: { account: reachable } } }, { memberships: { none: {} } }],
      },
      select: {
        id: true,
        name: true,
        memberships: { select: { accountId: true, account: { select: { kind: true, parentId: true } } } },
      },
    });
    if (!target) throw new AppError("NOT_FOUND", USER_NOT_FOUND);
    const refusal = impersonationRefusal(actor.userId, {
      id: target.id,
      name: target.name,
      isOperator: target.memberships.some(
        (m) => m.account.kind === "PLATFORM" && m.account.parentId === null,
      ),
      accountCount: target.memberships.length,
    });
    if (refusal) throw new AppError("FORBIDDEN", refusal);
    const session = await tx.userSession.findFirst({
      where: { id: sessionId, userId: actor.userId, revokedAt: null, expiresAt: { gt: now } },
      select: { id: true },
    });
    if (!session) throw new AppError("UNAUTHENTICATED", "Sign in to continue.");
    const operator = await tx.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { name: true } });
    const impersonation = await tx.impersonation.create({
      data: {
        operatorUserId: actor.userId,
        targetUserId: target.id,
        sessionId: session.id,
        reason,
        startedAt: now,
        expiresAt: impersonationExpiry(now),
        ip: actor.ip ? actor.ip.slice(0, 45) : null,
      },
      select: { id: true, operatorUserId: true, expiresAt: true },
    });
    await tx.userSession.update({ where: { id: session.id }, data: { impersonationId: impersonation.id } });
    await appendSupportChanges(tx, {
      impersonation,
      accountIds: target.memberships.map((m) => m.accountId),
      action: "CREATED",
      data: {
        event: "started",
        operatorName: operator.name,
        targetUserId: target.id,
        targetName: target.name,
        reason,
        minutes: IMPERSONATION_MINUTES,
      },
      ip: actor.ip ?? null,
    });
    return { impersonation, target };
  });
  log.info("support session started", {
    event: "auth.impersonation_started",
    userId: actor.userId,
    targetUserId: started.target.id,
    impersonationId: started.impersonation.id,
  });
  return {
    impersonationId: started.impersonation.id,
    targetName: started.target.name,
    expiresAt: started.impersonation.expiresAt.toISOString(),
    home: "/",
  };
}
