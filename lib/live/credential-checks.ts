import type { RequestActor } from "@/lib/api/with-actor";
import { principalStillValid } from "@/lib/auth/bearer";
import { SharedChecks } from "@/lib/live/shared-checks";
import type { Actor } from "@/lib/services/actor";
import { activeSessionState } from "@/lib/services/session/find-active-user-session";

/**
 * How long one credential check answers for every stream on that credential. With streams checking
 * every 5 s (app/api/v1/events), a revoked session or token ends its streams within 7.5 s.
 */
export const CREDENTIAL_CHECK_SHARE_MS = 2_500;

const checks = new SharedChecks(CREDENTIAL_CHECK_SHARE_MS);

/** What decides the answer: the token, or the session with the support session in it (if any). */
export function credentialKey(actor: RequestActor): string | null {
  if (actor.token) return `token:${actor.token.id}:${actor.userId}`;
  if (!actor.sessionId) return null;
  const sessionUserId = actor.impersonation?.operatorUserId ?? actor.userId;
  return `session:${actor.sessionId}:${sessionUserId}:${actor.impersonation?.id ?? "-"}`;
}

/**
 * Whether the caller's credential still holds: their session, or the API token they opened the
 * stream with. Streams on the same credential share one database check per CREDENTIAL_CHECK_SHARE_MS.
 */
export function stillSignedIn(actor: RequestActor): Promise<boolean> {
  const run = () => (actor.token ? principalStillValid(actor) : sessionStillActive(actor));
  const key = credentialKey(actor);
  return key ? checks.check(key, run) : run();
}

/**
 * Whether a request that stays open (the event stream) may go on: its session is still live and
 * still acts as whom it did when the request began (a support session started or ended since
 * changes whose data it may see).
 */
export async function sessionStillActive(actor: Actor): Promise<boolean> {
  // A caller without a session (the system, a test) has nothing that can still hold.
  if (!actor.sessionId) return false;
  const sessionUserId = actor.impersonation?.operatorUserId ?? actor.userId;
  const state = await activeSessionState({ sessionId: actor.sessionId, userId: sessionUserId });
  if (!state) return false;
  return state.impersonationId === (actor.impersonation?.id ?? null);
}
