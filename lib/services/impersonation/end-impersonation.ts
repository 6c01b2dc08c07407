import { prisma } from "@/lib/db";
import type { Actor } from "@/lib/services/actor";
import { finishImpersonation } from "./finish-impersonation";

export interface EndedImpersonation {
  /** False when the caller's session was in no support session (ended already, or expired). */
  ended: boolean;
  /** Where the operator goes back to: the platform's search, where support sessions start. */
  home: string;
}

/**
 * The operator ends the support session their own session is in: it is theirs again from the next
 * request on, and the accounts concerned record it. Calling it outside a support session changes
 * nothing (a second click on "End", another tab).
 */
export async function endImpersonation(options: { actor: Actor }): Promise<EndedImpersonation> {
  const { actor } = options;
  const grant = actor.impersonation;
  if (!grant || !actor.sessionId) return { ended: false, home: "/" };
  const ended = await finishImpersonation({ impersonationId: grant.id, reason: "ended", ip: actor.ip });
  const platform = await prisma.account.findFirst({
    where: { kind: "PLATFORM", parentId: null, memberships: { some: { userId: grant.operatorUserId } } },
    select: { slug: true },
  });
  return { ended, home: platform ? `/accounts/${platform.slug}/search` : "/" };
}
